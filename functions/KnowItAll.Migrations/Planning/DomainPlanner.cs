using System.Text.RegularExpressions;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Domains, before the tables that use them. An existing domain is altered in place: SET / DROP DEFAULT and DROP NOT NULL
/// are catalog changes; SET NOT NULL and a check make PostgreSQL scan every column of the domain under a SHARE lock on
/// its table. So on a domain columns use, a check is added NOT VALID in the transaction and validated after it, on its
/// own; a changed check is added under a temporary name, validated, then the old one dropped and the new one renamed in
/// one statement. A domain no column uses is simply dropped and re-added check by check: there is nothing to scan.
/// </summary>
internal static partial class DomainPlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var d in b.Diff.MissingDomains)
        {
            // Its checks may call functions, planned after the domains: those come first.
            var key = ObjectKeys.Type(b.Schema, d.Name);
            b.Add(StatementKind.Domain, d.Name, CreateSql(b.Q(d.Name), d), LockLevel.None, creates: key,
                needs: b.Named([d.BaseType, d.Default, .. d.Checks.Where(k => k.IsValidated).Select(k => k.Definition)]));
            foreach (var k in d.Checks.Where(k => !k.IsValidated))
                b.Add(StatementKind.DomainCheck, $"{d.Name}.{k.Name}",
                    $"ALTER DOMAIN {b.Q(d.Name)} ADD CONSTRAINT {Quote(k.Name)} {k.Definition} NOT VALID", LockLevel.None,
                    needs: [key, .. b.Named(k.Definition)]);
            b.Other.Add($"domain {d.Name}");
        }
        foreach (var change in b.Diff.DomainChanges) Alter(b, change);
    }

    /// <summary>CREATE DOMAIN with its default, NOT NULL and validated checks (a NOT VALID check is added after it).</summary>
    public static string CreateSql(string qualifiedName, DomainModel d) =>
        $"CREATE DOMAIN {qualifiedName} AS {d.BaseType}"
        + (d.Collation is null ? "" : $" COLLATE {Quote(d.Collation)}")
        + (d.Default is null ? "" : $" DEFAULT {d.Default}")
        + (d.NotNull ? " NOT NULL" : "")
        + string.Concat(d.Checks.Where(k => k.IsValidated).Select(k => $" CONSTRAINT {Quote(k.Name)} {k.Definition}"));

    private static void Alter(PlanBuilder b, DomainChange change)
    {
        var (l, d) = (change.Live, change.Desired);
        var domain = b.Q(d.Name);
        var tables = change.UsedBy.Select(u => u[..u.LastIndexOf('.')]).Distinct(StringComparer.Ordinal).ToList();
        var filled = tables.Where(b.HasRows).ToList();
        var columns = string.Join(", ", change.UsedBy);
        b.Other.Add($"domain {d.Name} (altered)");

        if (d.Default != l.Default)
            b.Add(StatementKind.DomainAlter, d.Name, d.Default is null ? $"ALTER DOMAIN {domain} DROP DEFAULT"
                : $"ALTER DOMAIN {domain} SET DEFAULT {d.Default}", LockLevel.None);
        if (!d.NotNull && l.NotNull)
            b.Add(StatementKind.DomainAlter, d.Name, $"ALTER DOMAIN {domain} DROP NOT NULL", LockLevel.None);

        // Checks schema/ no longer gives the domain (a replacement an earlier run left under the temporary name among them) go first.
        foreach (var k in l.Checks.Where(k => d.Checks.All(x => x.Name != k.Name)))
            b.Add(StatementKind.DomainAlter, $"{d.Name}.{k.Name}", $"ALTER DOMAIN {domain} DROP CONSTRAINT IF EXISTS {Quote(k.Name)}", LockLevel.None,
                [new Hazard(HazardCode.ObjectReplaced,
                    $"drops check {k.Name} ({k.Definition}) of domain {d.Name}: schema/ no longer gives it; no data is removed, the domain accepts " +
                    "more")]);

        if (d.NotNull && !l.NotNull)
            b.Add(StatementKind.DomainAlter, d.Name, $"ALTER DOMAIN {domain} SET NOT NULL", tables.Count > 0 ? LockLevel.Share : LockLevel.None,
                filled.Count > 0 ? [Scan(d.Name, columns, filled, "for a null")] : null);

        foreach (var k in d.Checks)
        {
            var old = l.Checks.FirstOrDefault(x => x.Name == k.Name);
            var name = $"{d.Name}.{k.Name}";
            if (old is not null && old.Definition == k.Definition)
            {
                if (!old.IsValidated && k.IsValidated) Validate(b, d.Name, k.Name, columns, tables, filled);
                continue;
            }
            if (tables.Count == 0)
            {
                // No column uses the domain: nothing is scanned, so the check is put in place in the transaction.
                if (old is not null)
                    b.Add(StatementKind.DomainCheckReplace, name, $"ALTER DOMAIN {domain} DROP CONSTRAINT IF EXISTS {Quote(k.Name)}", LockLevel.None,
                        [new Hazard(HazardCode.ObjectReplaced,
                            $"drops the old check {name} ({old.Definition}) to add schema/'s in the same transaction")]);
                b.Add(StatementKind.DomainCheck, name,
                    $"ALTER DOMAIN {domain} ADD CONSTRAINT {Quote(k.Name)} {k.Definition}{(k.IsValidated ? "" : " NOT VALID")}", LockLevel.None,
                    needs: b.Named(k.Definition));
                continue;
            }
            var added = old is null ? k.Name : Replacements.Temporary(k.Name);
            b.Add(StatementKind.DomainCheck, $"{d.Name}.{added}", $"ALTER DOMAIN {domain} ADD CONSTRAINT {Quote(added)} {k.Definition} NOT VALID",
                LockLevel.None, needs: b.Named(k.Definition));
            if (k.IsValidated) Validate(b, d.Name, added, columns, tables, filled);
            if (old is null) continue;
            b.Add(StatementKind.DomainCheckReplace, name,
                $"DO $knowitall$ BEGIN\n  ALTER DOMAIN {domain} DROP CONSTRAINT IF EXISTS {Quote(k.Name)};\n  ALTER DOMAIN {domain} RENAME " +
                $"CONSTRAINT {Quote(added)} TO {Quote(k.Name)};\nEND $knowitall$",
                LockLevel.None,
                [new Hazard(HazardCode.ObjectReplaced,
                    $"drops the old check {name} ({old.Definition}) and renames the validated {added} in its place, in one statement")],
                k.IsValidated ? Phase.After : Phase.InTransaction);
        }
    }

    private static void Validate(PlanBuilder b, string domain, string check, string columns, List<string> tables, List<string> filled) =>
        b.Add(StatementKind.Validate, $"{domain}.{check}", $"ALTER DOMAIN {b.Q(domain)} VALIDATE CONSTRAINT {Quote(check)}",
            tables.Count > 0 ? LockLevel.Share : LockLevel.None, filled.Count > 0 ? [Scan(domain, columns, filled, "against the check")] : null,
            Phase.After);

    private static Hazard Scan(string domain, string columns, List<string> filled, string what) =>
        new(HazardCode.CheckValidation,
            $"scans every value of {columns} (of domain {domain}) {what}, under a SHARE lock that blocks writes to {string.Join(", ", filled)} " +
            "while it runs (reads continue); " +
            "it fails, changing nothing, if a value does not fit");

    /// <summary>The SQL without the in-place alterations of a domain, for the guard to judge what is left.</summary>
    public static string WithoutInPlaceAlteration(string sql) => InPlaceAlteration().Replace(sql, "");

    [GeneratedRegex("""\bALTER DOMAIN "(?:[^"]|"")*"\."(?:[^"]|"")*" """ +
        """(?:DROP DEFAULT|DROP NOT NULL|DROP CONSTRAINT IF EXISTS "(?:[^"]|"")*"|RENAME CONSTRAINT "(?:[^"]|"")*" TO "(?:[^"]|"")*")(?=;|$)""")]
    private static partial Regex InPlaceAlteration();
}
