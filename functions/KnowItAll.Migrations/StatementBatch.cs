using Npgsql;

namespace KnowItAll.Migrations;

/// <summary>Runs statements in one round trip inside a transaction and, when PostgreSQL refuses one, says which.</summary>
internal static class StatementBatch
{
    /// <summary>
    /// Null when every statement ran. Otherwise the index of the statement PostgreSQL refused (found by running them one
    /// by one again after rolling the batch back to a savepoint; -1 if each then runs) and its error; the transaction is
    /// then aborted and good only for rolling back.
    /// </summary>
    public static async Task<(int Index, PostgresException Error)?> RunAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        IReadOnlyList<string> statements, CancellationToken ct)
    {
        if (statements.Count == 0) return null;
        await ExecuteAsync(connection, tx, "SAVEPOINT knowitall_batch", ct);
        try
        {
            await using var batch = new NpgsqlBatch(connection, tx);
            foreach (var sql in statements) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
            await batch.ExecuteNonQueryAsync(ct);
            await ExecuteAsync(connection, tx, "RELEASE SAVEPOINT knowitall_batch", ct);
            return null;
        }
        catch (PostgresException first) when (Connections.Unavailable(first) is null)
        {
            await ExecuteAsync(connection, tx, "ROLLBACK TO SAVEPOINT knowitall_batch", ct);
            for (var i = 0; i < statements.Count; i++)
            {
                try
                {
                    await ExecuteAsync(connection, tx, statements[i], ct);
                }
                catch (PostgresException e) when (Connections.Unavailable(e) is null)
                {
                    return (i, e);
                }
            }
            return (-1, first);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
