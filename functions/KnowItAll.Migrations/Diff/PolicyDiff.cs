using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Row-level security policies by table and name. Roles and expressions change with ALTER POLICY; the
/// command or PERMISSIVE / RESTRICTIVE cannot, so such a policy is dropped and created again in the transaction.
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
            // ALTER POLICY can set an expression but not take one away.
            else if (d.Permissive == l.Permissive && d.Command == l.Command && (d.Using is not null || l.Using is null)
                && (d.Check is not null || l.Check is null))
            {
                diff.Status("policy", name, ObjectStatus.Missing, "roles or expressions change: ALTER POLICY");
                diff.AlteredPolicies.Add(d);
            }
            else
            {
                diff.Status("policy", name, ObjectStatus.Missing,
                    $"command, kind or a removed expression changes ({l.Describe()} → {d.Describe()}): dropped and created again in the transaction");
                diff.ReplacedPolicies.Add(d);
            }
        }
        diff.NotInSchema("policy", c.Extra, p => $"{p.Table}.{p.Name}", p => p.Describe());
    }
}
