using System.Text.RegularExpressions;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Constraints by table and name; one left NOT VALID by an earlier run is validated. A changed one, or one validated
/// where schema/ says NOT VALID, is replaced; so is a key whose name a plain index holds. A key that foreign keys
/// reference cannot be dropped without them: that blocks, naming them.
/// </summary>
internal static partial class ConstraintDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<ConstraintModel>.Of(desired.Constraints, live.Constraints, k => $"{k.Table}.{k.Name}");
        foreach (var k in c.Missing)
        {
            var name = $"{k.Table}.{k.Name}";
            var temporary = Temporary(live, k);
            var temporaryIndex = k.Type is 'p' or 'u' ? OnTable(Replacements.TemporaryIndex(live, k.Name), k.Table) : null;
            var named = k.Type is 'p' or 'u' or 'x' ? live.Indexes.FirstOrDefault(i => i.Name == k.Name && i.Table == k.Table) : null;
            if ((temporary is not null && temporary.Definition == k.Definition) || temporaryIndex is { IsValid: true } || named is not null)
            {
                diff.Status("constraint", name, ObjectStatus.Missing, named is not null
                    ? $"{k.TypeName}: an index of its name exists ({named.Definition}): the key takes it over"
                    : $"{k.TypeName}: its replacement is under a temporary name: renamed");
                diff.ReplacedConstraints.Add(new ConstraintReplacement(k, null, temporary, temporaryIndex, named));
                continue;
            }
            diff.Status("constraint", name, ObjectStatus.Missing, k.TypeName);
            diff.MissingConstraints.Add(k);
        }
        foreach (var (k, l) in c.Matched)
        {
            var name = $"{k.Table}.{k.Name}";
            if (l.Definition != k.Definition || (l.IsValidated && !k.IsValidated))
            {
                var change = l.Definition != k.Definition
                    ? $"definition differs ({l.Definition} → {k.Definition})"
                    : "validated, and schema/ says NOT VALID";
                if (l.Type is 'p' or 'u' && ReferencingForeignKeys(live, l) is { Count: > 0 } fks)
                {
                    var why =
                        $"{l.TypeName} {name}: {change}; replacing it would drop it, and foreign keys reference it ({string.Join(", ", fks)}): " +
                        "change them in the same way first, or by hand";
                    diff.Status("constraint", name, ObjectStatus.Different, why);
                    diff.Drift.Add(new DriftItem("constraint", name, "definition differs and cannot be replaced", l.Definition, k.Definition));
                    diff.Uncarryable.Add(new Uncarryable(Obstacle.ReferencedByForeignKeys, name, why));
                    continue;
                }
                diff.Status("constraint", name, ObjectStatus.Missing, $"{change}: replaced");
                diff.ReplacedConstraints.Add(new ConstraintReplacement(k, l, Temporary(live, k),
                    k.Type is 'p' or 'u' ? OnTable(Replacements.TemporaryIndex(live, k.Name), k.Table) : null, null));
            }
            else if (!l.IsValidated && k.IsValidated)
            {
                diff.Status("constraint", name, ObjectStatus.Missing, "present but not yet validated");
                diff.UnvalidatedConstraints.Add(k);
            }
            else diff.Status("constraint", name, ObjectStatus.Present);
        }
        var temporaries = desired.Constraints.Select(k => $"{k.Table}.{Replacements.Temporary(k.Name)}").ToHashSet(StringComparer.Ordinal);
        diff.NotInSchema("constraint", c.Extra.Where(k => !temporaries.Contains($"{k.Table}.{k.Name}")), k => $"{k.Table}.{k.Name}",
            k => k.Definition);
    }

    private static ConstraintModel? Temporary(SchemaModel live, ConstraintModel k)
    {
        var temporary = Replacements.Temporary(k.Name);
        return live.Constraints.FirstOrDefault(l => l.Table == k.Table && l.Name == temporary);
    }

    private static IndexModel? OnTable(IndexModel? index, string table) => index?.Table == table ? index : null;

    /// <summary>The live foreign keys whose referenced columns are the key's: PostgreSQL ties each to that key's index.</summary>
    internal static List<string> ReferencingForeignKeys(SchemaModel live, string table, IReadOnlyList<string> columns) =>
        live.Constraints
            .Where(f => f.Type == 'f' && f.ReferencedTable == table && References().Match(f.Definition) is { Success: true } m
                && Columns(m.Groups["cols"].Value).SequenceEqual(columns))
            .Select(f => $"{f.Table}.{f.Name}")
            .ToList();

    private static List<string> ReferencingForeignKeys(SchemaModel live, ConstraintModel key) =>
        KeyColumns(key.Definition) is { } columns ? ReferencingForeignKeys(live, key.Table, columns) : [];

    /// <summary>The columns of a PRIMARY KEY or UNIQUE definition, or of a plain btree unique index; null for anything else.</summary>
    internal static IReadOnlyList<string>? KeyColumns(string definition) =>
        Key().Match(definition) is { Success: true } m ? Columns(m.Groups["cols"].Value) : null;

    private static List<string> Columns(string list) => list.Split(',', StringSplitOptions.TrimEntries).ToList();

    [GeneratedRegex(@"REFERENCES [^(]+\((?<cols>[^()]+)\)")]
    private static partial Regex References();

    [GeneratedRegex(@"^(?:PRIMARY KEY|UNIQUE(?: NULLS NOT DISTINCT)?) \((?<cols>[^()]+)\)|^CREATE UNIQUE INDEX .* USING btree \((?<cols>[^()]+)\)$")]
    private static partial Regex Key();
}
