using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>Enum types of the schema that no extension owns, in creation order.</summary>
internal static class EnumCatalog
{
    public const string Query = """
        SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
        FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE n.nspname = $1
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
        GROUP BY t.oid, t.typname
        ORDER BY t.oid
        """;

    public static async Task<List<EnumModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var enums = new List<EnumModel>();
        while (await reader.ReadAsync(ct)) enums.Add(new EnumModel(reader.GetString(0), reader.GetFieldValue<string[]>(1)));
        return enums;
    }
}
