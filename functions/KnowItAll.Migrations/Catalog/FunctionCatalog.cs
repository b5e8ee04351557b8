using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Functions and procedures no extension owns, in creation order, with pg_get_functiondef's text and what depends on each; the
/// constructors PostgreSQL makes with a range type (its internal dependants) are the type's, not functions of the schema.
/// </summary>
internal static class FunctionCatalog
{
    public const string Query = """
        SELECT p.proname, oidvectortypes(p.proargtypes), p.prokind::text, coalesce(pg_get_function_result(p.oid), ''), pg_get_functiondef(p.oid),
               coalesce((SELECT array_agg(DISTINCT CASE WHEN r.oid IS NULL THEN pg_describe_object(d.classid, d.objid, d.objsubid)
                                                        ELSE pg_describe_object('pg_class'::regclass, r.ev_class, 0) END)
                         FROM pg_depend d LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
                         WHERE d.refclassid = 'pg_proc'::regclass AND d.refobjid = p.oid AND d.deptype = 'n'), '{}')
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = $1 AND p.prokind IN ('f', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
        ORDER BY p.oid
        """;

    public static async Task<List<FunctionModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var functions = new List<FunctionModel>();
        while (await reader.ReadAsync(ct))
            functions.Add(new FunctionModel(reader.GetString(0), reader.GetString(1), reader.GetString(2)[0], reader.GetString(3), reader.GetString(4)
                .Trim())
            {
                Dependants = reader.GetFieldValue<string[]>(5),
            });
        return functions;
    }
}
