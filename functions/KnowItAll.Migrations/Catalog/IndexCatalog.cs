using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Indexes that are not a constraint's own; an index a partition holds because its parent's index was built
/// (relispartition) belongs to that parent index and is left out.
/// </summary>
internal static class IndexCatalog
{
    public const string Query = """
        SELECT i.relname, t.relname, pg_get_indexdef(i.oid), x.indisunique, x.indisvalid
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = $1 AND t.relkind IN ('r', 'p', 'm') AND NOT i.relispartition
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                          WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
        ORDER BY i.relname
        """;

    public static async Task<List<IndexModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var indexes = new List<IndexModel>();
        while (await reader.ReadAsync(ct))
            indexes.Add(new IndexModel(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetBoolean(4)));
        return indexes;
    }
}
