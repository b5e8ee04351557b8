using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>Reads one schema into a <see cref="SchemaModel"/> in a single round trip of per-kind queries.</summary>
public static class CatalogReader
{
    /// <summary>
    /// Reads <paramref name="schema"/>. Outside a transaction it opens a read-only REPEATABLE READ one so
    /// all kinds come from one snapshot; inside one (the desired-schema scratch load) it uses that.
    /// </summary>
    public static async Task<SchemaModel> ReadAsync(NpgsqlConnection connection, string schema, TimeSpan lockTimeout,
        CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var own = transaction is null;
        var tx = transaction ?? await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        try
        {
            await using (var setup = new NpgsqlCommand(
                $"SET LOCAL search_path = pg_catalog; SET LOCAL lock_timeout = {(long)lockTimeout.TotalMilliseconds}" + (own ? "; SET TRANSACTION READ ONLY" : ""),
                connection, tx))
            {
                await setup.ExecuteNonQueryAsync(cancellationToken);
            }
            var model = await ReadBatchAsync(connection, tx, schema, cancellationToken);
            if (own) await tx.CommitAsync(cancellationToken);
            return model;
        }
        finally
        {
            if (own) await tx.DisposeAsync();
        }
    }

    private static async Task<SchemaModel> ReadBatchAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string schema, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var sql in new[]
                 {
                     CatalogQueries.Tables, CatalogQueries.Columns, CatalogQueries.Indexes, CatalogQueries.Constraints,
                     CatalogQueries.Sequences, CatalogQueries.Extensions, CatalogQueries.Privileges, CatalogQueries.VolatileFunctions,
                 })
        {
            var command = new NpgsqlBatchCommand(sql);
            if (sql.Contains("$1", StringComparison.Ordinal)) command.Parameters.Add(new NpgsqlParameter { Value = schema });
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);

        var tableHasRows = new List<(string Name, bool HasRows)>();
        while (await reader.ReadAsync(ct)) tableHasRows.Add((reader.GetString(0), reader.GetBoolean(1)));

        await reader.NextResultAsync(ct);
        var columns = new Dictionary<string, List<ColumnModel>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var table = reader.GetString(0);
            if (!columns.TryGetValue(table, out var list)) columns[table] = list = [];
            list.Add(new ColumnModel(
                Name: reader.GetString(1),
                Ordinal: reader.GetInt32(2),
                Type: reader.GetString(3),
                NotNull: reader.GetBoolean(4),
                Default: reader.IsDBNull(5) ? null : reader.GetString(5),
                Identity: Flag(reader.GetString(6)),
                Generated: Flag(reader.GetString(7)),
                Collation: reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        await reader.NextResultAsync(ct);
        var indexes = new List<IndexModel>();
        while (await reader.ReadAsync(ct))
            indexes.Add(new IndexModel(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetBoolean(4)));

        await reader.NextResultAsync(ct);
        var constraints = new List<ConstraintModel>();
        while (await reader.ReadAsync(ct))
        {
            var definition = reader.GetString(3);
            const string notValid = " NOT VALID";
            if (definition.EndsWith(notValid, StringComparison.Ordinal)) definition = definition[..^notValid.Length];
            constraints.Add(new ConstraintModel(reader.GetString(0), reader.GetString(1), reader.GetString(2)[0], definition,
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetBoolean(5)));
        }

        await reader.NextResultAsync(ct);
        var sequences = new List<SequenceModel>();
        while (await reader.ReadAsync(ct))
            sequences.Add(new SequenceModel(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.GetBoolean(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9)));

        await reader.NextResultAsync(ct);
        var extensions = new List<ExtensionModel>();
        while (await reader.ReadAsync(ct)) extensions.Add(new ExtensionModel(reader.GetString(0), reader.GetString(1)));

        await reader.NextResultAsync(ct);
        var privileges = new List<PrivilegeModel>();
        while (await reader.ReadAsync(ct))
        {
            if (reader.IsDBNull(4)) continue;
            privileges.Add(new PrivilegeModel(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        await reader.NextResultAsync(ct);
        var volatileFunctions = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) volatileFunctions.Add(reader.GetString(0));

        var tables = tableHasRows
            .Select(t => new TableModel(t.Name, columns.TryGetValue(t.Name, out var c) ? c : [], t.HasRows))
            .ToList();
        return new SchemaModel(schema, extensions, sequences, tables, indexes, constraints, privileges, volatileFunctions);
    }

    private static char Flag(string value) => value.Length == 0 ? '\0' : value[0];
}
