using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Views and materialized views in creation order (oid order), so a view comes after the views it reads.
/// pg_get_viewdef under search_path = pg_catalog qualifies every name it prints.
/// </summary>
internal static class ViewCatalog
{
    public const string Query = """
        SELECT c.relname, c.relkind = 'm', pg_get_viewdef(c.oid), coalesce(c.reloptions, '{}'),
               coalesce((SELECT array_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)
                         FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '{}')
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
                reader.GetFieldValue<string[]>(4), reader.GetFieldValue<string[]>(3).Order(StringComparer.Ordinal).ToList()));
        return views;
    }
}
