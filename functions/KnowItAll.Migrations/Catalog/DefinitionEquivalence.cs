using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Settles checks and indexes whose stored text differs from the desired one only because the desired side went through
/// PostgreSQL's parser once more. The desired model is canonicalised by re-creating those objects from their deparsed
/// text (so that what the engine applies reads back unchanged), and PostgreSQL does not always deparse its own output
/// to the same text: <c>(ARRAY['a'::varchar])::text[]</c> reads back as <c>ARRAY[('a'::varchar)::text]</c>. A database
/// built by running the same DDL directly (psql, an older tool) holds the first form. Each live definition that
/// differs from the desired one of the same name is parsed again here, on an empty TEMP copy of its table's columns, in
/// a transaction that is always rolled back; when the result equals the desired text the two are the same object and
/// nothing is replaced. Only differing objects are asked, so an unchanged schema costs no round trip.
/// </summary>
internal static class DefinitionEquivalence
{
    public static async Task<SchemaModel> SettleAsync(NpgsqlConnection connection, string schema, SchemaModel desired, SchemaModel live,
        TimeSpan lockTimeout, CancellationToken ct)
    {
        var reparsed = KindRegistry.All.SelectMany(k => k.Reparsed(desired, live)).ToList();
        if (reparsed.Count == 0) return live;

        var settled = new List<(Reparse Definition, string Text)>();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, tx, $"SET LOCAL search_path = pg_catalog; SET LOCAL lock_timeout = {(long)lockTimeout.TotalMilliseconds}", ct);
        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        var n = 0;
        async Task<string?> CopyOfAsync(string table)
        {
            if (copies.TryGetValue(table, out var copy)) return copy;
            copy = $"knowitall_eq_{copies.Count}";
            if (!await TryAsync(connection, tx, $"CREATE TEMP TABLE {copy} (LIKE {Identifier.Qualify(schema, table)})", ct)) return null;
            copies[table] = copy;
            return copy;
        }
        foreach (var definition in reparsed)
        {
            if (await CopyOfAsync(definition.Table) is not { } copy) continue;
            var name = $"knowitall_eq_d{n++}";
            if (!await TryAsync(connection, tx, definition.Create(copy, name), ct)) continue;
            if (await ScalarAsync(connection, tx, definition.ReadBack(copy, name), ct) is { } text) settled.Add((definition, text));
        }
        await tx.RollbackAsync(ct);
        return settled.Aggregate(live, (model, s) => s.Definition.Settle(model, s.Text) ?? model);
    }

    /// <summary>What follows " USING " in an index definition: its method, keys, options and predicate.</summary>
    internal static string? Using(string definition)
    {
        var at = definition.IndexOf(" USING ", StringComparison.Ordinal);
        return at < 0 ? null : definition[(at + " USING ".Length)..];
    }

    internal static string Head(string definition) => definition[..definition.IndexOf(" USING ", StringComparison.Ordinal)];

    private static async Task<bool> TryAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await ExecuteAsync(connection, tx, "SAVEPOINT knowitall_eq", ct);
        try
        {
            await ExecuteAsync(connection, tx, sql, ct);
            await ExecuteAsync(connection, tx, "RELEASE SAVEPOINT knowitall_eq", ct);
            return true;
        }
        catch (PostgresException)
        {
            // A definition PostgreSQL will not parse on the copy is left as it differs: the diff replaces it as before.
            await ExecuteAsync(connection, tx, "ROLLBACK TO SAVEPOINT knowitall_eq", ct);
            return false;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        return await command.ExecuteScalarAsync(ct) as string;
    }
}
