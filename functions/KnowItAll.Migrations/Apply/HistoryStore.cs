using System.Text.Json;
using KnowItAll.Migrations.Json;
using Npgsql;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Apply;

/// <summary>The engine's own history table, in its own schema, never part of the desired schema.</summary>
internal sealed class HistoryStore(MigrationOptions options)
{
    private string Table => Qualify(options.HistorySchema, "history");

    public async Task EnsureAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            CREATE SCHEMA IF NOT EXISTS {Quote(options.HistorySchema)};
            CREATE TABLE IF NOT EXISTS {Table} (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                started_at timestamptz NOT NULL,
                finished_at timestamptz,
                target_schema text NOT NULL,
                plan_hash text NOT NULL,
                schema_fingerprint text NOT NULL,
                outcome text NOT NULL CHECK (outcome IN ('applied', 'applying', 'no_changes', 'failed')),
                changes integer NOT NULL,
                statements jsonb NOT NULL,
                timings jsonb NOT NULL,
                lock_retries integer NOT NULL,
                run_by text NOT NULL,
                error text
            )
            """, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<long> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, HistoryEntry entry, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {Table} (started_at, finished_at, target_schema, plan_hash, schema_fingerprint, outcome, changes, statements, timings, lock_retries, run_by, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12)
            RETURNING id
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = entry.StartedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.FinishedAt ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Plan.TargetSchema });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Plan.PlanHash });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Plan.SchemaFingerprint });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Outcome });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Plan.Statements.Count });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(entry.Plan.Statements, MigrationJsonContext.Default.IReadOnlyListPlannedStatement) });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(entry.Timings, MigrationJsonContext.Default.IReadOnlyListStatementTiming) });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.LockRetries });
        command.Parameters.Add(new NpgsqlParameter { Value = options.RunBy });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Error ?? DBNull.Value });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// A run killed after its transaction committed leaves its row "applying". Runs hold the run lock for their
    /// whole length, so under it no such row belongs to a live run: it is settled from what the catalog shows,
    /// "applied" when the desired schema is reached, else "failed" (the statements after the transaction did not
    /// all run; this or the next run applies what is left).
    /// </summary>
    public async Task<int> SettleInterruptedAsync(NpgsqlConnection connection, bool desiredReached, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            UPDATE {Table} SET outcome = $1, finished_at = $2, error = $3
            WHERE outcome = 'applying' AND target_schema = $4
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = desiredReached ? "applied" : "failed" });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = desiredReached
                ? "interrupted after its transaction committed; settled by a later run: the catalog shows the desired schema reached"
                : "interrupted after its transaction committed; settled by a later run: the catalog shows statements after the transaction not applied",
        });
        command.Parameters.Add(new NpgsqlParameter { Value = options.TargetSchema });
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The newest rows of the target schema, or none when no run has made the table yet.</summary>
    public async Task<IReadOnlyList<HistoryRow>> ReadAsync(NpgsqlConnection connection, int limit, CancellationToken ct)
    {
        var rows = new List<HistoryRow>();
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = Table });
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!) return rows;
        }
        await using var command = new NpgsqlCommand($"""
            SELECT id, started_at, finished_at, outcome, changes, plan_hash, run_by, error FROM {Table}
            WHERE target_schema = $1 ORDER BY id DESC LIMIT $2
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = options.TargetSchema });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new HistoryRow(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3), reader.GetInt32(4), reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        return rows;
    }

    public async Task CompleteAsync(NpgsqlConnection connection, long id, string outcome, DateTimeOffset finishedAt,
        IReadOnlyList<StatementTiming> timings, int lockRetries, string? error, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {Table} SET outcome = $1, finished_at = $2, timings = $3::jsonb, lock_retries = $4, error = $5 WHERE id = $6", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = outcome });
        command.Parameters.Add(new NpgsqlParameter { Value = finishedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(timings, MigrationJsonContext.Default.IReadOnlyListStatementTiming) });
        command.Parameters.Add(new NpgsqlParameter { Value = lockRetries });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await command.ExecuteNonQueryAsync(ct);
    }
}

internal sealed record HistoryEntry(
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    MigrationPlan Plan,
    string Outcome,
    IReadOnlyList<StatementTiming> Timings,
    int LockRetries,
    string? Error);
