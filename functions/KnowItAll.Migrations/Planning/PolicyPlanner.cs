using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>Row-level security policies: created, altered in place (roles, USING, WITH CHECK), or replaced (command, kind).</summary>
internal static class PolicyPlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var p in b.Diff.MissingPolicies)
        {
            b.Add(StatementKind.Policy, $"{p.Table}.{p.Name}", CreateSql(b, p), LockLevel.AccessExclusive, Hazards(b, p), needs: Needs(b, p));
            b.Other.Add($"policy {p.Table}.{p.Name}");
        }
        foreach (var p in b.Diff.ReplacedPolicies)
        {
            // Both in the transaction: no session ever sees the table without the policy.
            b.Add(StatementKind.PolicyReplace, $"{p.Table}.{p.Name}", $"DROP POLICY IF EXISTS {Quote(p.Name)} ON {b.Q(p.Table)}",
                LockLevel.AccessExclusive,
                [new Hazard(HazardCode.ObjectReplaced, $"drops policy {p.Name} on {p.Table} and creates it as schema/ says in the same transaction"),
                    .. Hazards(b, p)]);
            b.Add(StatementKind.Policy, $"{p.Table}.{p.Name}", CreateSql(b, p), LockLevel.AccessExclusive, Hazards(b, p), needs: Needs(b, p));
            b.Other.Add($"policy {p.Table}.{p.Name} (replaced)");
        }
        foreach (var p in b.Diff.AlteredPolicies)
        {
            b.Add(StatementKind.Policy, $"{p.Table}.{p.Name}", $"ALTER POLICY {Quote(p.Name)} ON {b.Q(p.Table)} TO {Roles(p)}{Clauses(p)}",
                LockLevel.AccessExclusive, Hazards(b, p));
            b.Other.Add($"policy {p.Table}.{p.Name} (altered)");
        }
    }

    /// <summary>Its table, and the functions (and tables) its expressions name.</summary>
    private static List<string> Needs(PlanBuilder b, PolicyModel p) =>
        [.. b.Relation(p.Table) is { } table ? new[] { table } : [], .. b.Named(p.Using, p.Check)];

    private static string CreateSql(PlanBuilder b, PolicyModel p) =>
        $"CREATE POLICY {Quote(p.Name)} ON {b.Q(p.Table)} AS {(p.Permissive ? "PERMISSIVE" : "RESTRICTIVE")} FOR {p.Command} TO " +
        $"{Roles(p)}{Clauses(p)}";

    private static string Roles(PolicyModel p) => string.Join(", ", p.Roles.Select(r => r == "PUBLIC" ? "PUBLIC" : Quote(r)));

    private static string Clauses(PolicyModel p) => (p.Using is null ? "" : $" USING ({p.Using})") +
        (p.Check is null ? "" : $" WITH CHECK ({p.Check})");

    private static IReadOnlyList<Hazard> Hazards(PlanBuilder b, PolicyModel p) => b.NewTables.Contains(p.Table) || !b.HasRows(p.Table)
        ? []
        : [new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {p.Table} briefly")];
}
