using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// The owners of the schema and of its tables, views, materialized views, sequences, functions, procedures, enums, domains and
/// composite types, keyed by PostgreSQL's own identity of the object (as comments are). Objects an extension owns are left out.
/// </summary>
internal static class OwnerCatalog
{
    private const string Schema = "(SELECT oid FROM pg_namespace WHERE nspname = $1)";

    /// <summary>The objects of schema $1 (by name) that have an owner schema/ may state, with the ALTER keyword that changes it.</summary>
    private const string Owned = $"""
        SELECT 'pg_class'::regclass AS classoid, c.oid,
               CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,
               c.relowner AS owner
        FROM pg_class c WHERE c.relnamespace = {Schema} AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
        UNION ALL
        SELECT 'pg_type'::regclass, t.oid, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.typowner
        FROM pg_type t LEFT JOIN pg_class r ON r.oid = t.typrelid
        WHERE t.typnamespace = {Schema} AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND r.relkind = 'c'))
        UNION ALL
        SELECT 'pg_proc'::regclass, p.oid, CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, p.proowner
        FROM pg_proc p WHERE p.pronamespace = {Schema} AND p.prokind IN ('f', 'p')
        UNION ALL
        SELECT 'pg_namespace'::regclass, n.oid, 'SCHEMA', n.nspowner FROM pg_namespace n WHERE n.oid = {Schema}
        """;

    public const string Query = $"""
        SELECT o.kind, (pg_identify_object(o.classoid, o.oid, 0)).identity, pg_get_userbyid(o.owner)
        FROM ({Owned}) o
        WHERE NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = o.classoid AND e.objid = o.oid AND e.deptype = 'e')
        ORDER BY 1, 2
        """;

    /// <summary>The kind and identity of one object of schema $1 (by name), given by catalog ($2) and oid ($3); no row when it is not one.</summary>
    public const string Identify = $"""
        SELECT o.kind, (pg_identify_object(o.classoid, o.oid, 0)).identity
        FROM ({Owned}) o
        WHERE o.classoid = $2::text::regclass AND o.oid = $3
        """;

    public static async Task<List<OwnerModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var owners = new List<OwnerModel>();
        while (await reader.ReadAsync(ct)) owners.Add(new OwnerModel(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return owners;
    }
}
