using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Row-level security policies by table and name. Roles and expressions change with ALTER POLICY; the
/// command or PERMISSIVE / RESTRICTIVE cannot change without dropping the policy, so that blocks the plan.
/// </summary>
internal static class PolicyDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<PolicyModel>.Of(desired.Policies, live.Policies, p => $"{p.Table}.{p.Name}");
        foreach (var p in c.Missing) diff.Status("policy", $"{p.Table}.{p.Name}", ObjectStatus.Missing);
        diff.MissingPolicies.AddRange(c.Missing);
        foreach (var (d, l) in c.Matched)
        {
            var name = $"{d.Table}.{d.Name}";
            if (d.Describe() == l.Describe())
            {
                diff.Status("policy", name, ObjectStatus.Present);
            }
            else if (d.Permissive == l.Permissive && d.Command == l.Command)
            {
                diff.Status("policy", name, ObjectStatus.Missing, "roles or expressions change: ALTER POLICY");
                diff.AlteredPolicies.Add(d);
            }
            else
            {
                var why = $"policy {name} changes its command or kind ({l.Describe()} → {d.Describe()}): only dropping it could, which is never done";
                diff.Status("policy", name, ObjectStatus.Different, why);
                diff.Drift.Add(new DriftItem("policy", name, "command or kind differs", l.Describe(), d.Describe()));
                diff.Blocking.Add(new Hazard(HazardCode.PolicyNotAlterable, why, name));
            }
        }
        diff.NotInSchema("policy", c.Extra, p => $"{p.Table}.{p.Name}", p => p.Describe());
    }
}
