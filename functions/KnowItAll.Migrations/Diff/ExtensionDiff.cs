using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Extensions: created when missing. One installed in the target schema that schema/ does not create is drift (a
/// CREATE EXTENSION removed from schema/), never dropped; those in other schemas belong to whoever put them there.
/// </summary>
internal static class ExtensionDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<ExtensionModel>.Of(desired.Extensions, live.Extensions, e => e.Name);
        foreach (var e in c.Missing) diff.Status("extension", e.Name, ObjectStatus.Missing);
        diff.MissingExtensions.AddRange(c.Missing);
        foreach (var (d, l) in c.Matched)
        {
            if (d.Schema == l.Schema)
            {
                if (d.Version is null || d.Version == l.Version) diff.Status("extension", d.Name, ObjectStatus.Present);
                else
                {
                    diff.Status("extension", d.Name, ObjectStatus.Missing, $"version {l.Version} (desired {d.Version})");
                    diff.ExtensionUpdates.Add(d);
                }
                continue;
            }
            var why = $"installed in schema {l.Schema}, schema/ has it in {d.Schema} (an extension is never moved)";
            diff.Status("extension", d.Name, ObjectStatus.Different, why);
            diff.Drift.Add(new DriftItem("extension", d.Name, why, l.Schema, d.Schema));
        }
        foreach (var e in c.Extra.Where(e => e.Schema == live.Schema))
            diff.Drift.Add(new DriftItem("extension", e.Name, $"installed in schema {e.Schema} but not in schema/ (never dropped)"));
    }
}
