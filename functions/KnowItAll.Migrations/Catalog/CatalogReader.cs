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
                     TableCatalog.Tables, TableCatalog.Columns, IndexCatalog.Query, ConstraintCatalog.Query, SequenceCatalog.Query,
                     ExtensionCatalog.Query, PrivilegeCatalog.Query, ExtensionCatalog.VolatileFunctions, EnumCatalog.Query, ViewCatalog.Query,
                     FunctionCatalog.Query, TriggerCatalog.Query, PolicyCatalog.Query, CommentCatalog.Query,
                 })
        {
            var command = new NpgsqlBatchCommand(sql);
            if (sql.Contains("$1", StringComparison.Ordinal)) command.Parameters.Add(new NpgsqlParameter { Value = schema });
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var tables = await TableCatalog.ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var columns = await TableCatalog.ReadColumnsAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var indexes = await IndexCatalog.ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var constraints = await ConstraintCatalog.ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var sequences = await SequenceCatalog.ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var extensions = await ExtensionCatalog.ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var privileges = await PrivilegeCatalog.ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var volatileFunctions = await ExtensionCatalog.ReadVolatileAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var enums = await EnumCatalog.ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var views = await ViewCatalog.ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var functions = await FunctionCatalog.ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var triggers = await TriggerCatalog.ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var policies = await PolicyCatalog.ReadAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var comments = await CommentCatalog.ReadAsync(reader, ct);

        var withColumns = tables.Select(t => t with { Columns = columns.TryGetValue(t.Name, out var c) ? c : [] }).ToList();
        return new SchemaModel(schema, extensions, sequences, withColumns, indexes, constraints, privileges, volatileFunctions)
        {
            Enums = enums,
            Views = views,
            Functions = functions,
            Triggers = triggers,
            Policies = policies,
            Comments = comments,
        };
    }
}
