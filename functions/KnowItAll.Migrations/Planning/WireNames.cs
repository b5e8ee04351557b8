using KnowItAll.Migrations.Json;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// The wire name of each closed set's values (<see cref="WireNameMap{T}"/>), so a digest, the console and the report
/// always print what the JSON carries.
/// </summary>
public static class WireNames
{
    private static readonly WireNameMap<StatementKind> Kinds = new(MigrationJsonContext.Default.StatementKind);
    private static readonly WireNameMap<LockLevel> Locks = new(MigrationJsonContext.Default.LockLevel);
    private static readonly WireNameMap<HazardCode> Codes = new(MigrationJsonContext.Default.HazardCode);
    private static readonly WireNameMap<Reporting.WorkflowAction> Actions = new(Reporting.ReportJsonContext.Default.WorkflowAction);
    private static readonly WireNameMap<Reporting.WorkflowOutcome> Outcomes = new(Reporting.ReportJsonContext.Default.WorkflowOutcome);

    public static string ToWire(this Reporting.WorkflowAction action) => Actions[action];

    public static string ToWire(this Reporting.WorkflowOutcome outcome) => Outcomes[outcome];

    public static string ToWire(this StatementKind kind) => Kinds[kind];

    public static string ToWire(this LockLevel level) => Locks[level];

    public static string ToWire(this HazardCode code) => Codes[code];
}
