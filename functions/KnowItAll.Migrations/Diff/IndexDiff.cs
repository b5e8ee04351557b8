using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Indexes: an invalid index left by a failed concurrent build counts as missing, so it is built again. A changed one is
/// replaced: built under its temporary name, the old one dropped, the new one renamed; what a killed run left of that
/// (the new one built, or the old one already dropped) is where the next run starts.
/// </summary>
internal static class IndexDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<IndexModel>.Of(desired.Indexes, live.Indexes, i => i.Name);
        foreach (var i in c.Missing)
        {
            if (Replacements.TemporaryIndex(live, i.Name) is { IsValid: true } built && Same(built, i))
            {
                diff.Status("index", i.Name, ObjectStatus.Missing, "its replacement is built under a temporary name: renamed");
                diff.ReplacedIndexes.Add(new IndexReplacement(i, null, built));
                continue;
            }
            diff.Status("index", i.Name, ObjectStatus.Missing);
            diff.MissingIndexes.Add(i);
        }
        foreach (var (i, l) in c.Matched)
        {
            if (!l.IsValid && Replacements.TemporaryIndex(live, i.Name) is { IsValid: true } built && Same(built, i))
            {
                // A concurrent drop of the old index was killed half-way: its replacement is ready.
                diff.Status("index", i.Name, ObjectStatus.Missing,
                    "its replacement is built under a temporary name: the old one is dropped, the new one renamed");
                diff.ReplacedIndexes.Add(new IndexReplacement(i, l, built));
            }
            else if (!l.IsValid)
            {
                diff.Status("index", i.Name, ObjectStatus.Missing, "an invalid index of this name is left from a failed build");
                diff.MissingIndexes.Add(i);
            }
            else if (l.Definition != i.Definition && l.IsUnique && ConstraintDiff.KeyColumns(l.Definition) is { } columns
                     && ConstraintDiff.ReferencingForeignKeys(live, l.Table, columns) is { Count: > 0 } fks)
            {
                var why =
                    $"unique index {i.Name}: definition differs ({l.Definition} → {i.Definition}); replacing it would drop it, and foreign keys " +
                    $"reference it ({string.Join(", ", fks)}): change them in the same way first, or by hand";
                diff.Status("index", i.Name, ObjectStatus.Different, why);
                diff.Drift.Add(new DriftItem("index", i.Name, "definition differs and cannot be replaced", l.Definition, i.Definition));
                diff.Uncarryable.Add(new Uncarryable(Obstacle.ReferencedByForeignKeys, i.Name, why));
            }
            else if (l.Definition != i.Definition)
            {
                diff.Status("index", i.Name, ObjectStatus.Missing, $"definition differs ({l.Definition} → {i.Definition}): replaced");
                diff.ReplacedIndexes.Add(new IndexReplacement(i, l, Replacements.TemporaryIndex(live, i.Name)));
            }
            else diff.Status("index", i.Name, ObjectStatus.Present);
        }
        // What a replacement builds or takes over belongs to the object schema/ names, not to the drift.
        var owned = desired.Indexes.Select(i => Replacements.Temporary(i.Name))
            .Concat(desired.Constraints.Where(k => k.Type is 'p' or 'u' or 'x').SelectMany(k => new[] { k.Name, Replacements.Temporary(k.Name) }))
            .ToHashSet(StringComparer.Ordinal);
        diff.NotInSchema("index", c.Extra.Where(i => !owned.Contains(i.Name)), i => i.Name, i => i.Definition);
    }

    /// <summary>Whether a live index is the desired one under another name.</summary>
    public static bool Same(IndexModel live, IndexModel desired) =>
        live.Table == desired.Table && Replacements.WithoutName(live.Definition) == Replacements.WithoutName(desired.Definition);
}
