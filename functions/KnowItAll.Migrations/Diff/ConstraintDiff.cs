using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>Constraints by table and name; one left NOT VALID by an earlier run is validated.</summary>
internal static class ConstraintDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<ConstraintModel>.Of(desired.Constraints, live.Constraints, k => $"{k.Table}.{k.Name}");
        foreach (var k in c.Missing)
        {
            diff.Status("constraint", $"{k.Table}.{k.Name}", ObjectStatus.Missing, k.TypeName);
            diff.MissingConstraints.Add(k);
        }
        foreach (var (k, l) in c.Matched)
        {
            var name = $"{k.Table}.{k.Name}";
            if (l.Definition != k.Definition)
            {
                diff.Status("constraint", name, ObjectStatus.Different, "definition differs");
                diff.Drift.Add(new DriftItem("constraint", name, "definition differs", l.Definition, k.Definition));
            }
            else if (!l.IsValidated && k.IsValidated)
            {
                diff.Status("constraint", name, ObjectStatus.Missing, "present but not yet validated");
                diff.UnvalidatedConstraints.Add(k);
            }
            else diff.Status("constraint", name, ObjectStatus.Present);
        }
        diff.NotInSchema("constraint", c.Extra, k => $"{k.Table}.{k.Name}", k => k.Definition);
    }
}
