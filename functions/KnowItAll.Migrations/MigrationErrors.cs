namespace KnowItAll.Migrations;

/// <summary>
/// Stable error names. They are the Step Functions error names the state machine retries and catches on,
/// so they never change once published.
/// </summary>
public static class MigrationErrors
{
    public const string InvalidInput = "Migration.InvalidInput";
    public const string SchemaError = "Migration.SchemaError";
    public const string LockTimeout = "Migration.LockTimeout";
    public const string PlanStale = "Migration.PlanStale";
    public const string DatabaseUnavailable = "Migration.DatabaseUnavailable";
    public const string PermissionsMissing = "Migration.PermissionsMissing";
    public const string UnsafeChange = "Migration.UnsafeChange";
    public const string ApplyFailed = "Migration.ApplyFailed";
}

/// <summary>An error a person can act on, carrying its stable name.</summary>
public sealed class MigrationException(string errorName, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string ErrorName { get; } = errorName;
}
