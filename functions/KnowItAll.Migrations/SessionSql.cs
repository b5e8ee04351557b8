namespace KnowItAll.Migrations;

/// <summary>
/// The session limits and the run lock as SQL, written once: apply, history settling and the desired-schema loader
/// take the same lock and set their timeouts the same way.
/// </summary>
public static class SessionSql
{
    /// <summary>One run per target schema at a time ($1: the target schema), whatever database role runs it.</summary>
    private const string RunLockKey = "pg_catalog.hashtextextended('knowitall:' || $1, 0)";

    public const string TryRunLock = "SELECT pg_catalog.pg_try_advisory_lock(" + RunLockKey + ")";
    public const string RunLock = "SELECT pg_catalog.pg_advisory_lock(" + RunLockKey + ")";
    public const string RunUnlock = "SELECT pg_catalog.pg_advisory_unlock(" + RunLockKey + ")";

    /// <summary>
    /// The desired loader's limits: it creates only new objects in a scratch schema, so waiting 2 s for a lock means
    /// something else holds the catalog, and 120 s bounds a runaway statement in schema/.
    /// </summary>
    public static readonly TimeSpan DesiredLoadLockTimeout = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan DesiredLoadStatementTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Timeouts for the current transaction only (<c>SET LOCAL</c>).</summary>
    public static string LocalTimeouts(TimeSpan lockTimeout, TimeSpan statementTimeout) =>
        $"SET LOCAL lock_timeout = {Ms(lockTimeout)}; SET LOCAL statement_timeout = {Ms(statementTimeout)}";

    /// <summary>Timeouts for the session (statements outside a transaction, such as CREATE INDEX CONCURRENTLY).</summary>
    public static string SessionTimeouts(TimeSpan lockTimeout, TimeSpan statementTimeout) =>
        $"SET lock_timeout = {Ms(lockTimeout)}; SET statement_timeout = {Ms(statementTimeout)}";

    private static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;
}
