using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>Grants last, one statement per object and grantee; the schema's own first.</summary>
internal static class GrantPlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var group in b.Diff.MissingPrivileges
                     .GroupBy(p => (p.ObjectKind, p.ObjectName, p.Column, p.Grantee, p.Grantable))
                     .OrderBy(g => g.Key.ObjectKind == PrivilegeObjectKind.Schema ? 0 : 1)
                     .ThenBy(g => g.Key.ObjectName, StringComparer.Ordinal)
                     .ThenBy(g => g.Key.Column, StringComparer.Ordinal)
                     .ThenBy(g => g.Key.Grantee, StringComparer.Ordinal)
                     .ThenBy(g => g.Key.Grantable))
        {
            var (kind, objectName, column, grantee, grantable) = group.Key;
            var privileges = string.Join(", ", group.Select(p => p.Privilege).Distinct().Order(StringComparer.Ordinal));
            var target = Target(b, kind, objectName);
            var columnList = column is null ? "" : $" ({Quote(column)})";
            var role = grantee == "PUBLIC" ? "PUBLIC" : Quote(grantee);
            var option = grantable ? " WITH GRANT OPTION" : "";
            var label = (column is null ? $"{privileges} on {kind} {objectName} to {grantee}"
                : $"{privileges} ({column}) on table {objectName} to {grantee}")
                        + (grantable ? " with grant option" : "");
            b.Grants.Add(label);
            b.Add(StatementKind.Grant, label, $"GRANT {privileges}{columnList} ON {target} TO {role}{option}", LockLevel.None);
        }
    }

    /// <summary>What GRANT and REVOKE name after ON for a privilege's object.</summary>
    internal static string Target(PlanBuilder b, PrivilegeObjectKind kind, string objectName) => kind switch
    {
        PrivilegeObjectKind.Schema => $"SCHEMA {Quote(objectName)}",
        PrivilegeObjectKind.Sequence => $"SEQUENCE {b.Q(objectName)}",
        PrivilegeObjectKind.Function => $"ROUTINE {Routine(b, objectName)}",
        PrivilegeObjectKind.Type => $"TYPE {b.Q(objectName)}",
        _ => $"TABLE {b.Q(objectName)}",
    };

    /// <summary>A function privilege's object is "name(argument types)"; the name is quoted, the types are PostgreSQL's own text.</summary>
    internal static string Routine(PlanBuilder b, string signature)
    {
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        return b.Q(signature[..open]) + signature[open..];
    }
}
