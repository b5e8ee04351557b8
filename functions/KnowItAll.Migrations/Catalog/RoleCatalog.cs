using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>Roles are created outside schema/; this says which of those schema/ grants to the database lacks.</summary>
internal static class RoleCatalog
{
    /// <summary>The names among <paramref name="grantees"/> (PUBLIC aside) that are no role of the database, sorted.</summary>
    public static async Task<IReadOnlyList<string>> MissingAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, IEnumerable<string> grantees,
        CancellationToken ct)
    {
        var names = grantees.Where(g => g != "PUBLIC").Distinct(StringComparer.Ordinal).ToArray();
        if (names.Length == 0) return [];
        await using var command = new NpgsqlCommand(
            "SELECT g FROM unnest($1::text[]) g WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = g) ORDER BY 1", connection,
            tx);
        command.Parameters.Add(new NpgsqlParameter { Value = names });
        var missing = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) missing.Add(reader.GetString(0));
        return missing;
    }

    public static string Sentence(IReadOnlyList<string> missing) =>
        (missing.Count == 1 ? $"role {missing[0]} does not exist" : $"roles {string.Join(", ", missing)} do not exist") +
        " on this database; roles are created outside schema/ (e.g. by the RDS set-up): create them first";
}
