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
    // The schema's objects are listed first and their comments looked up by pg_description's index: starting from
    // pg_description would join every comment of pg_catalog (thousands) to six catalogs before the schema filter.
    public const string Query = """
        WITH described AS (
            SELECT 'pg_class'::regclass AS classoid, c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
            UNION ALL
            SELECT 'pg_type'::regclass, t.oid FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1
            UNION ALL
            SELECT 'pg_proc'::regclass, p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
            UNION ALL
            SELECT 'pg_constraint'::regclass, k.oid FROM pg_constraint k
            LEFT JOIN pg_class owner ON owner.oid = nullif(k.conrelid, 0)
            JOIN pg_namespace n ON n.oid = coalesce(owner.relnamespace, k.connamespace) WHERE n.nspname = $1
            UNION ALL
            SELECT 'pg_trigger'::regclass, g.oid FROM pg_trigger g JOIN pg_class owner ON owner.oid = g.tgrelid
            JOIN pg_namespace n ON n.oid = owner.relnamespace WHERE n.nspname = $1
            UNION ALL
            SELECT 'pg_policy'::regclass, y.oid FROM pg_policy y JOIN pg_class owner ON owner.oid = y.polrelid
            JOIN pg_namespace n ON n.oid = owner.relnamespace WHERE n.nspname = $1
        )
        SELECT CASE WHEN o.type LIKE '% column' THEN 'COLUMN'
                    WHEN o.type = 'table constraint' THEN 'CONSTRAINT'
                    WHEN o.type = 'partitioned table' THEN 'TABLE'
                    WHEN o.type = 'partitioned index' THEN 'INDEX'
                    WHEN o.type = 'composite type' THEN 'TYPE'
                    ELSE upper(o.type) END,
               o.identity, d.description
        FROM described s
        JOIN pg_description d ON d.classoid = s.classoid AND d.objoid = s.oid
        CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o
        WHERE NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e')
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
