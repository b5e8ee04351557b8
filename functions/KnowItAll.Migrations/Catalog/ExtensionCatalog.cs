using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

internal static class ExtensionCatalog
{
    public const string Query = """
        SELECT e.extname, n.nspname, e.extversion FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY e.extname
        """;

    /// <summary>Functions any volatile default may call (the planner's rewrite hazard), from every schema.</summary>
    public const string VolatileFunctions = "SELECT DISTINCT proname::text FROM pg_proc WHERE provolatile = 'v'";

    public static async Task<List<ExtensionModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var extensions = new List<ExtensionModel>();
        while (await reader.ReadAsync(ct))
            extensions.Add(new ExtensionModel(reader.GetString(0), reader.GetString(1)) { Version = reader.GetString(2) });
        return extensions;
    }

    public static async Task<HashSet<string>> ReadVolatileAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));
        return names;
    }
}
