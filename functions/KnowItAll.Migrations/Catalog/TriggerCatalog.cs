using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>User triggers; internal ones (foreign keys) and those a partition inherits from its parent are left out.</summary>
internal static class TriggerCatalog
{
    public const string Query = """
        SELECT g.tgname, c.relname, pg_get_triggerdef(g.oid), g.tgenabled::text
        FROM pg_trigger g
        JOIN pg_class c ON c.oid = g.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND NOT g.tgisinternal AND g.tgparentid = 0
        ORDER BY g.oid
        """;

    public static async Task<List<TriggerModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var triggers = new List<TriggerModel>();
        while (await reader.ReadAsync(ct))
            triggers.Add(new TriggerModel(reader.GetString(0), reader.GetString(1), reader.GetString(2)) { Enabled = reader.GetString(3)[0] });
        return triggers;
    }
}
