namespace KnowItAll.Migrations;

/// <summary>One desired object and whether the live database has it.</summary>
public sealed record ObjectStatus(string Kind, string Name, string Status, string? Detail = null)
{
    public const string Present = "present";
    public const string Missing = "missing";
    public const string Different = "different";
}

/// <summary>Something the live database has that the desired schema does not, or has differently. Reported, never fixed.</summary>
public sealed record DriftItem(string Kind, string Name, string Reason, string? Live = null, string? Desired = null);

public sealed record ValidationResult(
    bool Success,
    bool SchemaValid,
    string TargetSchema,
    string SchemaFingerprint,
    string DesiredFingerprint,
    int ObjectsChecked,
    IReadOnlyList<ObjectStatus> Missing,
    IReadOnlyList<DriftItem> Drift,
    IReadOnlyList<ObjectStatus> Objects,
    long DurationMs);

/// <summary>
/// What Apply is asked to do. There is no dry run here: whether a run is a dry run is decided by the state machine
/// (it calls Plan and stops), and `knowitall apply --dry-run` calls Plan.
/// </summary>
public sealed record ApplyRequest(string? ExpectedPlanHash = null);

public sealed record StatementTiming(int Order, string ObjectName, long DurationMs, int Attempts);

public sealed record ApplyResult(
    bool Success,
    bool Changed,
    string PlanHash,
    string SchemaFingerprint,
    int StatementsExecuted,
    IReadOnlyList<string> ExtensionsCreated,
    IReadOnlyList<string> SequencesCreated,
    IReadOnlyList<string> TablesCreated,
    IReadOnlyList<string> ColumnsAdded,
    IReadOnlyList<string> IndexesCreated,
    IReadOnlyList<string> ConstraintsAdded,
    IReadOnlyList<string> GrantsApplied,
    IReadOnlyList<StatementTiming> Timings,
    int LockRetries,
    long? HistoryId,
    long DurationMs,
    MigrationPlan Plan);

public sealed record PermissionCheck(string Kind, string Object, string Privilege, bool Granted);

public sealed record PermissionReport(
    bool Success,
    string Role,
    bool RoleExists,
    bool CanLogin,
    bool CanConnect,
    bool HasSchemaUsage,
    int Checked,
    IReadOnlyList<PermissionCheck> Missing,
    long DurationMs)
{
    /// <summary>The state machine names the count in its failure cause; the list itself may be cut to a budget.</summary>
    public int MissingCount => Missing.Count;
}

/// <summary>Progress of an apply, for people watching a terminal.</summary>
public sealed record ApplyProgress(int Order, int Total, string ObjectName, string Phase);
