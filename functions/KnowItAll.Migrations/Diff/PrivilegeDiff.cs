using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>Privileges: granted when missing; an extra grant to a role schema/ grants to is drift, never revoked.</summary>
internal static class PrivilegeDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<PrivilegeModel>.Of(desired.Privileges, live.Privileges, p => p.Key);
        foreach (var p in c.Missing) diff.Status("privilege", p.Describe(), ObjectStatus.Missing);
        diff.MissingPrivileges.AddRange(c.Missing);
        foreach (var (p, _) in c.Matched) diff.Status("privilege", p.Describe(), ObjectStatus.Present);
        var grantees = desired.Privileges.Select(p => p.Grantee).ToHashSet(StringComparer.Ordinal);
        foreach (var p in c.Extra.Where(p => grantees.Contains(p.Grantee)))
            diff.Drift.Add(new DriftItem("privilege", p.Describe(), "granted but not in schema/"));
    }
}
