using KnowItAll.Migrations.Planning;
using Npgsql;

namespace KnowItAll.Migrations.Apply;

/// <summary>
/// The one place a lock timeout is retried. An attempt that is not granted its lock within lock_timeout
/// (SQLSTATE 55P03) is retried after a backoff, MaxLockRetries times, holding no lock while it waits (the
/// attempt's transaction is rolled back first). When the retries are spent, Apply fails with
/// Migration.LockTimeout, having changed nothing of that attempt; the state machine then retries the whole
/// Apply step on that error (its own Retry, minutes apart), which plans again under the run lock. The two are
/// layered: this one rides out a brief conflicting lock, the state machine's a long one.
/// </summary>
internal sealed class LockRetry(MigrationOptions options, TimeProvider time)
{
    public const string LockNotAvailable = "55P03";

    /// <summary>Runs <paramref name="attempt"/> (given its 0-based number) until it is granted its locks; returns its result and the retries it
    /// took.</summary>
    public async Task<(T Result, int Retries)> RunAsync<T>(Func<int, Task<T>> attempt, Func<PlannedStatement?> blocked, CancellationToken ct)
    {
        for (var n = 0; ; n++)
        {
            try
            {
                return (await attempt(n), n);
            }
            catch (PostgresException e) when (e.SqlState == LockNotAvailable && blocked() is { } statement)
            {
                if (n >= options.MaxLockRetries) throw Exhausted(statement, n + 1, e);
                await Task.Delay(Backoff(n), time, ct);
            }
        }
    }

    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt), 30_000));

    private MigrationException Exhausted(PlannedStatement statement, int attempts, Exception inner) => new(MigrationErrors.LockTimeout,
        $"statement {statement.Order} ({statement.Kind.ToWire()} {statement.ObjectName}) could not get its {statement.Lock.ToWire()} lock within " +
        $"{options.LockTimeout.TotalMilliseconds:0} ms, {attempts} times: another session holds a conflicting lock. Nothing of it was changed; " +
        "retry later.", inner);
}
