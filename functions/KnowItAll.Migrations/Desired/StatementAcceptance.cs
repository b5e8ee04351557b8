using System.Text.RegularExpressions;
using KnowItAll.Migrations.Kinds;

namespace KnowItAll.Migrations.Desired;

/// <summary>
/// Which statements schema files may hold. Each accepted form changes something the desired model carries
/// (a test proves it form by form); anything else is refused with its file, line and why, so nothing written
/// in schema/ is silently left unapplied.
/// </summary>
public static partial class StatementAcceptance
{
    /// <summary>Throws a SchemaError naming the statement's file and line unless a kind of <see cref="KindRegistry"/> accepts it.</summary>
    public static void Check(SqlStatement statement, MigrationOptions options)
    {
        var words = statement.Words;
        var reason = TempObject().IsMatch(words) ? "temporary objects do not belong to a schema" : KindRegistry.Refusal(words);
        if (reason is not null) throw Error(statement, $"{reason}. Schema files hold: {KindRegistry.Accepted}");
    }

    /// <summary>A clause of CREATE TABLE / MATERIALIZED VIEW the model does not carry (TABLESPACE, USING, ON COMMIT, OF type), or null.</summary>
    internal static string? UnmodelledClause(string words) =>
        UnmodelledTableClause().Match(words) is { Success: true } clause ? clause.Value.Trim() : null;

    /// <summary>Splits ALTER TABLE actions on commas outside parentheses and quotes.</summary>
    internal static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            switch (c)
            {
                case '\'' or '"': quote = c; break;
                case '(': depth++; break;
                case ')': depth--; break;
                case ',' when depth == 0:
                    yield return text[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..].Trim();
    }

    internal static string Head(string words) => string.Join(' ', words.Split(' ').Take(3));

    private static MigrationException Error(SqlStatement at, string message) => new(MigrationErrors.SchemaError, $"{at.Location}: {message}");

    [GeneratedRegex(@"^CREATE (GLOBAL |LOCAL )?(TEMP|TEMPORARY) ")]
    private static partial Regex TempObject();

    [GeneratedRegex(@"\) (TABLESPACE|ON COMMIT|USING|WITHOUT OIDS)\b| OF [A-Z_""]\S* *\(?$|\bTABLESPACE\b")]
    private static partial Regex UnmodelledTableClause();
}
