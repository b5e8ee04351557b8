using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Comments on every kind the engine models, keyed by PostgreSQL's own identity of the object. The schema of
/// a trigger, policy or table constraint is its table's; objects an extension owns are left out. The schema's own comment
/// and those of the extensions installed in it are read too.
/// </summary>
internal static class CommentCatalog
{
    public const string Query = """
        SELECT CASE WHEN o.type LIKE '% column' THEN 'COLUMN'
                    WHEN o.type = 'table constraint' THEN 'CONSTRAINT'
                    WHEN o.type = 'partitioned table' THEN 'TABLE'
                    WHEN o.type = 'partitioned index' THEN 'INDEX'
                    WHEN o.type = 'composite type' THEN 'TYPE'
                    ELSE upper(o.type) END,
               o.identity, d.description
        FROM pg_description d
        LEFT JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
        LEFT JOIN pg_type t ON d.classoid = 'pg_type'::regclass AND t.oid = d.objoid
        LEFT JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND p.oid = d.objoid
        LEFT JOIN pg_constraint k ON d.classoid = 'pg_constraint'::regclass AND k.oid = d.objoid
        LEFT JOIN pg_trigger g ON d.classoid = 'pg_trigger'::regclass AND g.oid = d.objoid
        LEFT JOIN pg_policy y ON d.classoid = 'pg_policy'::regclass AND y.oid = d.objoid
        LEFT JOIN pg_class owner ON owner.oid = coalesce(nullif(k.conrelid, 0), g.tgrelid, y.polrelid)
        JOIN pg_namespace n ON n.oid = coalesce(c.relnamespace, t.typnamespace, p.pronamespace, owner.relnamespace, k.connamespace)
        CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o
        WHERE n.nspname = $1
          AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e')
        UNION ALL
        SELECT 'SCHEMA', quote_ident(n.nspname), d.description
        FROM pg_description d JOIN pg_namespace n ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid
        WHERE n.nspname = $1
        UNION ALL
        SELECT 'EXTENSION', quote_ident(x.extname), d.description
        FROM pg_description d
        JOIN pg_extension x ON d.classoid = 'pg_extension'::regclass AND d.objoid = x.oid
        JOIN pg_namespace n ON n.oid = x.extnamespace
        WHERE n.nspname = $1
        ORDER BY 1, 2
        """;

    public static async Task<List<CommentModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var comments = new List<CommentModel>();
        while (await reader.ReadAsync(ct)) comments.Add(new CommentModel(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return comments;
    }
}
