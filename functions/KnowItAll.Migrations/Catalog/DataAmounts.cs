using KnowItAll.Migrations.Diff;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// How much data the plan's declared removals delete, counted at plan time: the rows of each table to drop and the
/// non-null values of each column to drop. Exact counts, because the number is what a person approves; they scan, so
/// they are taken only for the removals a plan has (usually none) under the run's lock and statement timeouts.
/// </summary>
public static class DataAmounts
{
    public static async Task MeasureAsync(NpgsqlConnection connection, string schema, SchemaDiff diff, MigrationOptions options, CancellationToken ct)
    {
        var queries = new List<(string Key, string Sql)>();
        foreach (var r in diff.Retirements)
        {
            var d = r.Declaration;
            if (d.Kind == "table")
                queries.Add((d.Name, $"SELECT count(*) FROM {Identifier.Qualify(schema, d.Name)}"));
            else if (d.Kind == "column" && diff.Retirements.All(t => t.Declaration is not { Kind: "table" } || t.Declaration.Name != d.Table))
                queries.Add(($"{d.Table}.{d.Name}", $"SELECT count({Identifier.Quote(d.Name)}) FROM {Identifier.Qualify(schema, d.Table!)}"));
        }
        if (queries.Count == 0) return;
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var setup = new NpgsqlCommand(
            $"SET TRANSACTION READ ONLY; SET LOCAL lock_timeout = {(long)options.LockTimeout.TotalMilliseconds}; SET LOCAL statement_timeout = " +
            $"{(long)options.StatementTimeout.TotalMilliseconds}",
            connection, tx))
            await setup.ExecuteNonQueryAsync(ct);
        foreach (var (key, sql) in queries)
        {
            await using var command = new NpgsqlCommand(sql, connection, tx);
            diff.DataAmounts[key] = (long)(await command.ExecuteScalarAsync(ct))!;
        }
        await tx.CommitAsync(ct);
    }
}
