namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Owners schema/ states, after the objects exist and their grants are given: a table's before its sequences (changing a table's
/// owner changes its serial and identity sequences' with it, and PostgreSQL refuses such a sequence alone).
/// </summary>
internal static class OwnerPlanner
{
    private static readonly string[] Order = ["SCHEMA", "TYPE", "DOMAIN", "TABLE", "SEQUENCE", "VIEW", "MATERIALIZED VIEW", "FUNCTION", "PROCEDURE"];

    public static void Plan(PlanBuilder b)
    {
        var existing = b.Live.Owners.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var o in b.Diff.Owners.OrderBy(o => Array.IndexOf(Order, o.ObjectType)).ThenBy(o => o.Identity, StringComparer.Ordinal))
        {
            var relation = o.ObjectType is "TABLE" or "SEQUENCE" or "VIEW" or "MATERIALIZED VIEW";
            var locks = relation && existing.Contains(o.Key);
            b.Add(StatementKind.Owner, o.Key, $"ALTER {o.ObjectType} {o.Identity} OWNER TO {Identifier.Quote(o.Owner)}",
                locks ? LockLevel.AccessExclusive : LockLevel.None,
                locks
                    ? [new Hazard(HazardCode.AccessExclusiveLock,
                        $"takes an ACCESS EXCLUSIVE lock on {o.ObjectType.ToLowerInvariant()} {o.Identity} briefly (a catalog change: no scan, no " +
                        "rewrite); queries of it wait for the plan's transaction")]
                    : []);
            b.Other.Add($"owner of {o.ObjectType.ToLowerInvariant()} {o.Identity}: {o.Owner}");
        }
    }
}
