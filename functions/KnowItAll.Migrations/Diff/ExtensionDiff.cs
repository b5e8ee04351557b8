using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>Extensions: created when missing; the live database may have more (other schemas use them), which is not drift.</summary>
internal static class ExtensionDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<ExtensionModel>.Of(desired.Extensions, live.Extensions, e => e.Name);
        foreach (var e in c.Missing) diff.Status("extension", e.Name, ObjectStatus.Missing);
        diff.MissingExtensions.AddRange(c.Missing);
        foreach (var (d, _) in c.Matched) diff.Status("extension", d.Name, ObjectStatus.Present);
    }
}
