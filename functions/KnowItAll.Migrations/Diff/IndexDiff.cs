using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>Indexes: an invalid index left by a failed concurrent build counts as missing, so it is built again.</summary>
internal static class IndexDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<IndexModel>.Of(desired.Indexes, live.Indexes, i => i.Name);
        foreach (var i in c.Missing)
        {
            diff.Status("index", i.Name, ObjectStatus.Missing);
            diff.MissingIndexes.Add(i);
        }
        foreach (var (i, l) in c.Matched)
        {
            if (!l.IsValid)
            {
                diff.Status("index", i.Name, ObjectStatus.Missing, "an invalid index of this name is left from a failed build");
                diff.MissingIndexes.Add(i);
            }
            else if (l.Definition != i.Definition)
            {
                diff.Status("index", i.Name, ObjectStatus.Different, "definition differs");
                diff.Drift.Add(new DriftItem("index", i.Name, "definition differs", l.Definition, i.Definition));
            }
            else diff.Status("index", i.Name, ObjectStatus.Present);
        }
        diff.NotInSchema("index", c.Extra, i => i.Name, i => i.Definition);
    }
}
