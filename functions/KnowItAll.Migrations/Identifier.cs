using System.Text.RegularExpressions;

namespace KnowItAll.Migrations;

/// <summary>PostgreSQL identifier quoting; every name the engine writes into SQL goes through here.</summary>
public static partial class Identifier
{
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Qualify(string schema, string name) => Quote(schema) + "." + Quote(name);

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Names the engine accepts from configuration: ordinary lower-case identifiers up to 63 bytes.</summary>
    public static bool IsValid(string? name) => name is not null && SimpleName().IsMatch(name);

    [GeneratedRegex("^[a-z_][a-z0-9_$]{0,62}$")]
    private static partial Regex SimpleName();
}
