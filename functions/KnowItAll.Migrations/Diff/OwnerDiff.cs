using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Owners: only those schema/ states are compared (an owner it does not state is never drift), and each is set when it differs,
/// when the plan creates its object, and when the plan drops and re-creates its object (a replaced view or function is its applier's).
/// </summary>
internal static class OwnerDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<OwnerModel>.Of(desired.Owners, live.Owners, o => o.Key);
        foreach (var o in c.Missing)
        {
            diff.Status("owner", o.Key, ObjectStatus.Missing, $"owner {o.Owner}, set once the plan creates the object");
            diff.Owners.Add(o);
        }
        foreach (var (d, l) in c.Matched)
        {
            if (d.Owner != l.Owner) diff.Status("owner", d.Key, ObjectStatus.Missing, $"owner is {l.Owner}, schema/ states {d.Owner}");
            else if (Recreated(d, live.Schema, diff)) diff.Status("owner", d.Key, ObjectStatus.Present, $"{d.Owner}, set again once re-created");
            else
            {
                diff.Status("owner", d.Key, ObjectStatus.Present);
                continue;
            }
            diff.Owners.Add(d);
        }
    }

    private static bool Recreated(OwnerModel owner, string schema, SchemaDiff diff) =>
        owner.ObjectType is "VIEW" or "MATERIALIZED VIEW"
        && diff.DroppedViews.Any(v => v.Materialized == (owner.ObjectType == "MATERIALIZED VIEW")
            && Replacements.Names(owner.Identity, schema, v.Name))
        || owner.ObjectType is "FUNCTION" or "PROCEDURE"
        && diff.DroppedFunctions.Any(f => f.Kind == (owner.ObjectType == "PROCEDURE" ? 'p' : 'f')
            && ReplacedDependants.NamesFunction(owner.Identity, schema, f));
}
