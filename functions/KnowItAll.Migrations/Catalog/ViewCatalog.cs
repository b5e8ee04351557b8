using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Views and materialized views in creation order (oid order), so a view comes after the views it reads.
/// pg_get_viewdef under search_path = pg_catalog qualifies every name it prints. What depends on each (pg_depend, the
/// views' rewrite rules) says what a replacement would have to drop with it; the table columns each reads, what a column's
/// type change would have to drop.
/// </summary>
internal static class ViewCatalog
{
    public const string Query = """
        SELECT c.relname, c.relkind = 'm', pg_get_viewdef(c.oid), coalesce(c.reloptions, '{}'),
               coalesce((SELECT array_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)
                         FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '{}'),
               coalesce((SELECT array_agg(DISTINCT v.relname ORDER BY v.relname)
                         FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
                         WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid
                           AND r.ev_class <> c.oid AND r.rulename = '_RETURN' AND v.relnamespace = c.relnamespace), '{}'),
               coalesce((SELECT array_agg(DISTINCT CASE WHEN r.oid IS NULL THEN pg_describe_object(d.classid, d.objid, d.objsubid)
                                                        ELSE pg_describe_object('pg_class'::regclass, r.ev_class, 0) END)
                         FROM pg_depend d
                         LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
                         LEFT JOIN pg_class v ON v.oid = r.ev_class
                         WHERE ((d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid)
                                OR (d.refclassid = 'pg_type'::regclass AND d.refobjid = c.reltype))
                           AND d.deptype <> 'i' AND d.classid <> 'pg_trigger'::regclass
                           AND NOT (r.oid IS NOT NULL AND (r.ev_class = c.oid OR (r.rulename = '_RETURN' AND v.relnamespace = c.relnamespace)))
                           AND NOT (d.classid = 'pg_class'::regclass AND
                                    EXISTS (SELECT 1 FROM pg_index x WHERE x.indexrelid = d.objid AND x.indrelid = c.oid))), '{}'),
               coalesce((SELECT array_agg(t.relname::text ORDER BY t.oid, a.attnum) FROM pg_rewrite r
                         JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
                         JOIN pg_class t ON t.oid = d.refobjid AND t.relnamespace = c.relnamespace AND t.relkind IN ('r', 'p')
                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                         WHERE r.ev_class = c.oid AND r.rulename = '_RETURN'), '{}'),
               coalesce((SELECT array_agg(a.attname::text ORDER BY t.oid, a.attnum) FROM pg_rewrite r
                         JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
                         JOIN pg_class t ON t.oid = d.refobjid AND t.relnamespace = c.relnamespace AND t.relkind IN ('r', 'p')
                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                         WHERE r.ev_class = c.oid AND r.rulename = '_RETURN'), '{}'),
               c.relispopulated
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('v', 'm')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY c.oid
        """;

    public static async Task<List<ViewModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var views = new List<ViewModel>();
        while (await reader.ReadAsync(ct))
            views.Add(new ViewModel(reader.GetString(0), reader.GetBoolean(1), reader.GetString(2).Trim().TrimEnd(';'),
                reader.GetFieldValue<string[]>(4), reader.GetFieldValue<string[]>(3).Order(StringComparer.Ordinal).ToList())
            {
                ReadBy = reader.GetFieldValue<string[]>(5),
                Dependants = reader.GetFieldValue<string[]>(6),
                ReadsColumns = reader.GetFieldValue<string[]>(7).Zip(reader.GetFieldValue<string[]>(8)).ToList(),
                Populated = reader.GetBoolean(9),
            });
        return views;
    }
}
