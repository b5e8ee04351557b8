using System.Text.Json;
using KnowItAll.Migrations.Json;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// The wire name of each closed set's values, taken from the JSON source generator itself so a digest, the
/// console and the report always print what the JSON carries.
/// </summary>
public static class WireNames
{
    private static readonly Dictionary<StatementKind, string> Kinds =
        Enum.GetValues<StatementKind>().ToDictionary(v => v, v => JsonSerializer.Serialize(v, MigrationJsonContext.Default.StatementKind).Trim('"'));

    private static readonly Dictionary<LockLevel, string> Locks =
        Enum.GetValues<LockLevel>().ToDictionary(v => v, v => JsonSerializer.Serialize(v, MigrationJsonContext.Default.LockLevel).Trim('"'));

    private static readonly Dictionary<HazardCode, string> Codes =
        Enum.GetValues<HazardCode>().ToDictionary(v => v, v => JsonSerializer.Serialize(v, MigrationJsonContext.Default.HazardCode).Trim('"'));

    private static readonly Dictionary<Reporting.WorkflowAction, string> Actions =
        Enum.GetValues<Reporting.WorkflowAction>()
        .ToDictionary(v => v, v => JsonSerializer.Serialize(v, Reporting.ReportJsonContext.Default.WorkflowAction).Trim('"'));

    private static readonly Dictionary<Reporting.WorkflowOutcome, string> Outcomes =
        Enum.GetValues<Reporting.WorkflowOutcome>()
        .ToDictionary(v => v, v => JsonSerializer.Serialize(v, Reporting.ReportJsonContext.Default.WorkflowOutcome).Trim('"'));

    public static string ToWire(this Reporting.WorkflowAction action) => Actions[action];

    public static string ToWire(this Reporting.WorkflowOutcome outcome) => Outcomes[outcome];

    public static string ToWire(this StatementKind kind) => Kinds[kind];

    public static string ToWire(this LockLevel level) => Locks[level];

    public static string ToWire(this HazardCode code) => Codes[code];
}
