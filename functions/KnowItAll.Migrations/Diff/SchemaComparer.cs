using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Compares the desired and live models kind by kind in <see cref="KindRegistry"/> order, after the declared renames and before the
/// declared removals; what replacements take with them is put back once every kind is compared.
/// </summary>
public static class SchemaComparer
{
    public static SchemaDiff Compare(SchemaModel desired, SchemaModel live)
    {
        var diff = new SchemaDiff();
        live = DeclarationDiff.Renames(desired, live, diff);
        diff.RenamedLive = live;
        foreach (var kind in KindRegistry.All) kind.Compare(desired, live, diff);
        ReplacedDependants.Restore(desired, live, diff);
        DeclarationDiff.Removals(desired, live, diff);
        return diff;
    }
}
