using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Table constraints; those a partition inherits from its parent (conparentid, not conislocal) are the parent's. A key's
/// definition carries its index's storage parameters (<c>WITH (fillfactor=80)</c>), which pg_get_constraintdef leaves out.
/// </summary>
internal static class ConstraintCatalog
{
    public const string Query = """
        SELECT k.conname, t.relname, k.contype::text,
               pg_get_constraintdef(k.oid) || coalesce(' WITH (' || array_to_string(i.reloptions, ', ') || ')', ''), rt.relname, k.convalidated
        FROM pg_constraint k
        JOIN pg_class t ON t.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        LEFT JOIN pg_class rt ON rt.oid = k.confrelid
        LEFT JOIN pg_class i ON i.oid = k.conindid AND k.contype IN ('p', 'u')
        WHERE n.nspname = $1 AND k.contype IN ('p', 'u', 'f', 'c', 'x') AND k.conparentid = 0 AND k.conislocal
        ORDER BY t.relname, k.conname
        """;

    public static async Task<List<ConstraintModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var constraints = new List<ConstraintModel>();
        while (await reader.ReadAsync(ct))
        {
            var definition = reader.GetString(3);
            const string notValid = " NOT VALID";
            if (definition.EndsWith(notValid, StringComparison.Ordinal)) definition = definition[..^notValid.Length];
            constraints.Add(new ConstraintModel(reader.GetString(0), reader.GetString(1), reader.GetString(2)[0], definition,
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetBoolean(5)));
        }
        return constraints;
    }
}
