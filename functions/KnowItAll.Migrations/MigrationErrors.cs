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

    /// <summary>A function stopped itself before its deadline, so nothing was left half-done.</summary>
    public const string Timeout = "Migration.Timeout";

    /// <summary>Anything unforeseen; the sentence says what.</summary>
    public const string InternalError = "Migration.InternalError";

    /// <summary>The full report could not be written or read (S3 or the local report directory).</summary>
    public const string ReportStoreFailed = "Migration.ReportStoreFailed";

    /// <summary>The person or the pipeline stopped the command; nothing was committed by the interrupted step.</summary>
    public const string Cancelled = "Migration.Cancelled";

    /// <summary>A mock-config test case reached a task it does not mock, and the run has no database.</summary>
    public const string NotMocked = "Migration.NotMocked";

    /// <summary>No AWS credentials could be found for a call to AWS.</summary>
    public const string CredentialsMissing = "Migration.CredentialsMissing";

    /// <summary>An AWS endpoint (or a local one such as workflow serve) could not be reached.</summary>
    public const string ServiceUnavailable = "Migration.ServiceUnavailable";

    /// <summary>An AWS service refused a request; the sentence carries the service's own error code.</summary>
    public const string ServiceError = "Migration.ServiceError";
}

/// <summary>An error a person can act on, carrying its stable name.</summary>
public sealed class MigrationException(string errorName, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string ErrorName { get; } = errorName;
}
