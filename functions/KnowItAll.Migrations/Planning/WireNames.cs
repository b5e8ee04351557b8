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

    public static string ToWire(this StatementKind kind) => Kinds[kind];

    public static string ToWire(this LockLevel level) => Locks[level];

    public static string ToWire(this HazardCode code) => Codes[code];
}
