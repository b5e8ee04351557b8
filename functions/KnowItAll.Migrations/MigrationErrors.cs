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

    /// <summary>The plan would fail at apply: PostgreSQL refused one of its statements on a scratch copy of what it touches.</summary>
    public const string PlanInvalid = "Migration.PlanInvalid";

    /// <summary>A person rejected the plan (knowitall workflow reject sends it with the reason as the cause).</summary>
    public const string Rejected = "Migration.Rejected";

    /// <summary>Nobody approved or rejected the plan within the environment's approval timeout.</summary>
    public const string ApprovalTimedOut = "Migration.ApprovalTimedOut";

    /// <summary>The approval names another plan than the one the execution made.</summary>
    public const string ApprovalMismatch = "Migration.ApprovalMismatch";
}

/// <summary>An error a person can act on, carrying its stable name.</summary>
public sealed class MigrationException(string errorName, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string ErrorName { get; } = errorName;
}
