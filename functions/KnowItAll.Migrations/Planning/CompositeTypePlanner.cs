using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Composite types, after domains (an attribute may be of one) and before the tables that use them. An attribute is
/// added or retyped in place only on a type no column uses (the diff blocks the rest): a catalog change, no row is touched.
/// </summary>
internal static class CompositeTypePlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var t in b.Diff.MissingCompositeTypes)
        {
            // An attribute may hold a table's row: that table comes first.
            b.Add(StatementKind.CompositeType, t.Name, CreateSql(b.Q(t.Name), t), LockLevel.None, creates: ObjectKeys.Type(b.Schema, t.Name),
                needs: b.Named(t.Attributes.Select(a => a.Type)));
            b.Other.Add($"composite type {t.Name}");
        }
        foreach (var a in b.Diff.CompositeAttributes)
        {
            var clause = a.Live is null ? $"ADD ATTRIBUTE {Attribute(a.Attribute)}"
                : $"ALTER ATTRIBUTE {Quote(a.Attribute.Name)} TYPE {Type(a.Attribute)}";
            b.Add(StatementKind.CompositeAttribute, $"{a.Type}.{a.Attribute.Name}", $"ALTER TYPE {b.Q(a.Type)} {clause}", LockLevel.None,
                needs: b.Named(a.Attribute.Type));
            b.Other.Add($"composite type attribute {a.Type}.{a.Attribute.Name}");
        }
    }

    public static string CreateSql(string qualifiedName, CompositeTypeModel t) =>
        $"CREATE TYPE {qualifiedName} AS ({string.Join(", ", t.Attributes.Select(Attribute))})";

    private static string Attribute(CompositeAttribute a) => $"{Quote(a.Name)} {Type(a)}";

    private static string Type(CompositeAttribute a) => a.Type + (a.Collation is null ? "" : $" COLLATE {Quote(a.Collation)}");
}
