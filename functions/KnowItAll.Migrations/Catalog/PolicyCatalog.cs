using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>Row-level security policies with their roles sorted and their expressions deparsed.</summary>
internal static class PolicyCatalog
{
    public const string Query = """
        SELECT p.polname, c.relname, p.polpermissive,
               CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
               coalesce((SELECT array_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r)::text END ORDER BY 1)
                                  FROM unnest(p.polroles) r), '{}'),
               pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
        FROM pg_policy p
        JOIN pg_class c ON c.oid = p.polrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1
        ORDER BY c.relname, p.polname
        """;

    public static async Task<List<PolicyModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var policies = new List<PolicyModel>();
        while (await reader.ReadAsync(ct))
            policies.Add(new PolicyModel(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetString(3),
                reader.GetFieldValue<string[]>(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        return policies;
    }
}
