using System.Text.Json.Serialization;

namespace KnowItAll.Migrations;

/// <summary>
/// One desired object and whether the live database has it: present; missing (or missing a change the engine
/// plans, such as a new default or enum value); different (in a way only reported, as drift).
/// </summary>
public sealed record ObjectStatus(string Kind, string Name, ObjectState Status, string? Detail = null)
{
    public const ObjectState Present = ObjectState.Present;
    public const ObjectState Missing = ObjectState.Missing;
    public const ObjectState Different = ObjectState.Different;
}

[JsonConverter(typeof(JsonStringEnumConverter<ObjectState>))]
public enum ObjectState
{
    [JsonStringEnumMemberName("present")] Present,
    [JsonStringEnumMemberName("missing")] Missing,
    [JsonStringEnumMemberName("different")] Different,
}

/// <summary>Something the live database has that the desired schema does not, or has differently. Reported, never fixed.</summary>
public sealed record DriftItem(string Kind, string Name, string Reason, string? Live = null, string? Desired = null);

public sealed record ValidationResult(
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
/// <param name="ExpectedPlanHash">The plan to apply; another plan is refused with <see cref="MigrationErrors.PlanStale"/>.</param>
/// <param name="Approved">A person approved exactly <paramref name="ExpectedPlanHash"/> (the workflow's plan approval): that approval
/// allows the plan's opt-in hazards (<see cref="MigrationPlan.AwaitingOptIn"/>), and only that plan's.</param>
public sealed record ApplyRequest(string? ExpectedPlanHash = null, bool Approved = false);

public sealed record StatementTiming(int Order, string ObjectName, long DurationMs, int Attempts);

public sealed record ApplyResult(
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
