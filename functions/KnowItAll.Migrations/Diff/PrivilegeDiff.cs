using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Privileges: granted when missing, and their grant option granted when schema/ says WITH GRANT OPTION. A grant
/// schema/ does not make, or makes without the option the database has, is drift: never revoked. A default privilege
/// (EXECUTE for PUBLIC on a function) the database lacks is drift too: never granted back.
/// </summary>
internal static class PrivilegeDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<PrivilegeModel>.Of(desired.Privileges, live.Privileges, p => p.Key);
        foreach (var p in c.Missing.Where(p => p.Initial))
        {
            // PostgreSQL's default (EXECUTE for PUBLIC) that the database revoked and schema/ does not: never granted back.
            const string why = "PostgreSQL's default privilege was revoked in the database, which schema/ does not declare (never granted back)";
            diff.Status("privilege", p.Describe(), ObjectStatus.Different, why);
            diff.Drift.Add(new DriftItem("privilege", p.Describe(), why, "revoked", "granted by default"));
        }
        var missing = c.Missing.Where(p => !p.Initial).ToList();
        foreach (var p in missing) diff.Status("privilege", p.Describe(), ObjectStatus.Missing, p.Grantable ? "with grant option" : null);
        diff.MissingPrivileges.AddRange(missing);
        foreach (var (d, l) in c.Matched)
        {
            if (d.Grantable && !l.Grantable)
            {
                diff.Status("privilege", d.Describe(), ObjectStatus.Missing, "granted without the grant option schema/ gives it");
                diff.MissingPrivileges.Add(d);
            }
            else if (!d.Grantable && l.Grantable)
            {
                const string why = "granted WITH GRANT OPTION, which schema/ does not give (a grant option is never revoked)";
                diff.Status("privilege", d.Describe(), ObjectStatus.Different, why);
                diff.Drift.Add(new DriftItem("privilege", d.Describe(), why, "with grant option", "without grant option"));
            }
            else diff.Status("privilege", d.Describe(), ObjectStatus.Present);
        }
        foreach (var p in c.Extra.Where(p => !p.Initial))
            diff.Drift.Add(new DriftItem("privilege", p.Describe(), "granted but not in schema/", p.Grantable ? "with grant option" : null));
    }
}
