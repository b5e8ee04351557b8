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
        var desiredChecks = desired.Constraints.Where(k => k.Type == 'c').ToDictionary(k => (k.Table, k.Name));
        var checks = live.Constraints
            .Where(k => k.Type == 'c' && desiredChecks.TryGetValue((k.Table, k.Name), out var d) && d.Definition != k.Definition)
            .ToList();
        var desiredIndexes = desired.Indexes.GroupBy(i => i.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var indexes = live.Indexes
            .Where(i => desiredIndexes.TryGetValue(i.Name, out var d) && d.Table == i.Table && d.Definition != i.Definition
                && Using(i.Definition) is not null)
            .ToList();
        if (checks.Count == 0 && indexes.Count == 0) return live;

        var settledChecks = new Dictionary<(string Table, string Name), string>();
        var settledIndexes = new Dictionary<string, string>(StringComparer.Ordinal);
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
        foreach (var check in checks)
        {
            if (await CopyOfAsync(check.Table) is not { } copy) continue;
            var name = $"knowitall_eq_c{n++}";
            if (!await TryAsync(connection, tx, $"ALTER TABLE pg_temp.{copy} ADD CONSTRAINT {name} {check.Definition} NOT VALID", ct)) continue;
            var text = await ScalarAsync(connection, tx,
                $"SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'pg_temp.{copy}'::regclass AND conname = '{name}'", ct);
            if (text is null) continue;
            if (text.EndsWith(" NOT VALID", StringComparison.Ordinal)) text = text[..^" NOT VALID".Length];
            if (text == desiredChecks[(check.Table, check.Name)].Definition) settledChecks[(check.Table, check.Name)] = text;
        }
        foreach (var index in indexes)
        {
            if (await CopyOfAsync(index.Table) is not { } copy) continue;
            var name = $"knowitall_eq_i{n++}";
            var unique = index.IsUnique ? "UNIQUE " : "";
            if (!await TryAsync(connection, tx, $"CREATE {unique}INDEX {name} ON pg_temp.{copy} USING {Using(index.Definition)}", ct)) continue;
            var text = await ScalarAsync(connection, tx, $"SELECT pg_get_indexdef('pg_temp.{name}'::regclass)", ct);
            var desiredText = desiredIndexes[index.Name].Definition;
            if (text is not null && Using(text) == Using(desiredText) && Head(index.Definition) == Head(desiredText))
                settledIndexes[index.Name] = desiredText;
        }
        await tx.RollbackAsync(ct);
        if (settledChecks.Count == 0 && settledIndexes.Count == 0) return live;
        return live with
        {
            Constraints = live.Constraints
                .Select(k => k.Type == 'c' && settledChecks.TryGetValue((k.Table, k.Name), out var text) ? k with { Definition = text } : k).ToList(),
            Indexes = live.Indexes.Select(i => settledIndexes.TryGetValue(i.Name, out var text) ? i with { Definition = text } : i).ToList(),
        };
    }

    /// <summary>What follows " USING " in an index definition: its method, keys, options and predicate.</summary>
    private static string? Using(string definition)
    {
        var at = definition.IndexOf(" USING ", StringComparison.Ordinal);
        return at < 0 ? null : definition[(at + " USING ".Length)..];
    }

    private static string Head(string definition) => definition[..definition.IndexOf(" USING ", StringComparison.Ordinal)];

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
