using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Domains and composite types of the schema that no extension owns, in creation order. A domain's collation is read
/// only where it is not its base type's; its checks (NOT NULL is its own flag) sorted by name.
/// </summary>
internal static class DomainCatalog
{
    public const string Domains = """
        SELECT t.typname, format_type(t.typbasetype, t.typtypmod), t.typdefault, t.typnotnull,
               CASE WHEN t.typcollation <> b.typcollation THEN co.collname END,
               coalesce((SELECT array_agg(k.conname::text ORDER BY k.conname)
                         FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c'), '{}'),
               coalesce((SELECT array_agg(regexp_replace(pg_get_constraintdef(k.oid), ' NOT VALID$', '') ORDER BY k.conname)
                         FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c'), '{}'),
               coalesce((SELECT array_agg(k.convalidated ORDER BY k.conname)
                         FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c'), '{}')
        FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        JOIN pg_type b ON b.oid = t.typbasetype
        LEFT JOIN pg_collation co ON co.oid = t.typcollation
        WHERE n.nspname = $1 AND t.typtype = 'd'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
        ORDER BY t.oid
        """;

    public const string CompositeTypes = """
        SELECT t.typname,
               coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attnum > 0), '{}'),
               coalesce(array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum) FILTER (WHERE a.attnum > 0), '{}'),
               coalesce(array_agg(CASE WHEN a.attcollation <> at.typcollation THEN co.collname::text END ORDER BY a.attnum)
                        FILTER (WHERE a.attnum > 0), '{}')
        FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_type at ON at.oid = a.atttypid
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        WHERE n.nspname = $1 AND t.typtype = 'c'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
        GROUP BY t.oid, t.typname
        ORDER BY t.oid
        """;

    public static async Task<List<DomainModel>> ReadDomainsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var domains = new List<DomainModel>();
        while (await reader.ReadAsync(ct))
        {
            var names = reader.GetFieldValue<string[]>(5);
            var definitions = reader.GetFieldValue<string[]>(6);
            var validated = reader.GetFieldValue<bool[]>(7);
            domains.Add(new DomainModel(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                names.Select((n, i) => new DomainCheck(n, definitions[i], validated[i])).ToList()));
        }
        return domains;
    }

    public static async Task<List<CompositeTypeModel>> ReadCompositeTypesAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var types = new List<CompositeTypeModel>();
        while (await reader.ReadAsync(ct))
        {
            var names = reader.GetFieldValue<string[]>(1);
            var typeNames = reader.GetFieldValue<string[]>(2);
            var collations = reader.GetFieldValue<string?[]>(3);
            types.Add(new CompositeTypeModel(reader.GetString(0), names.Select((n, i) => new CompositeAttribute(n, typeNames[i], collations[i]))
                .ToList()));
        }
        return types;
    }
}
