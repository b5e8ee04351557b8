using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// One schema the plan manages: its desired and live models and their diff. <see cref="Exists"/> is false for a schema
/// schema/ creates that the database does not have yet: the plan creates it first.
/// </summary>
public sealed record ManagedSchema(SchemaModel Desired, SchemaModel Live, SchemaDiff Diff, bool Exists = true)
{
    /// <summary>An object's name as validate, plans and reports show it: qualified outside the target schema.</summary>
    public static string Shown(string targetSchema, string schema, string name) => schema == targetSchema ? name : $"{schema}.{name}";
}
