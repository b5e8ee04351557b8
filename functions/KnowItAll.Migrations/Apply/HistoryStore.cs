using System.Text.Json;
using KnowItAll.Migrations.Json;
using KnowItAll.Migrations.Planning;
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
                outcome text NOT NULL CHECK (outcome IN ({HistoryOutcomes.SqlList})),
                changes integer NOT NULL,
                statements jsonb NOT NULL,
                timings jsonb NOT NULL,
                lock_retries integer NOT NULL,
                run_by text NOT NULL,
                error text
            );
            ALTER TABLE {Table} ADD COLUMN IF NOT EXISTS settled_at timestamptz
            """, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Settles the runs a kill left <c>applying</c>: their transaction committed (the row commits with it), and
    /// only the statements that run outside it may be missing. Called under the run lock with a plan computed
    /// from the catalog just now: a leftover statement is done when that plan no longer needs its object. All
    /// done: <c>applied</c>; otherwise <c>failed</c>, naming what was not done (the new plan does it again).
    /// </summary>
    public async Task<IReadOnlyList<long>> SettleAsync(NpgsqlConnection connection, MigrationPlan now, DateTimeOffset at, CancellationToken ct)
    {
        var open = new List<(long Id, string Statements)>();
        await using (var select =
            new NpgsqlCommand($"SELECT id, statements::text FROM {Table} WHERE outcome = 'applying' AND target_schema = $1 ORDER BY id", connection))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = options.TargetSchema });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) open.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        var needed = now.Statements.Select(s => (s.Kind, s.ObjectName)).ToHashSet();
        foreach (var (id, json) in open)
        {
            var statements = JsonSerializer.Deserialize(json, MigrationJsonContext.Default.IReadOnlyListPlannedStatement) ?? [];
            var undone = statements.Where(s => !s.Transactional && needed.Contains((s.Kind, s.ObjectName))).ToList();
            var error = undone.Count == 0 ? null :
                $"interrupted after its transaction committed: {undone.Count} statement(s) outside the transaction were not done " +
                $"({string.Join(", ", undone.Take(10).Select(s => $"{s.Kind.ToWire()} {s.ObjectName}"))}{(undone.Count > 10 ? ", …" : "")}); a " +
                "later run plans them again";
            await using var update = new NpgsqlCommand(
                $"UPDATE {Table} SET outcome = $1, finished_at = coalesce(finished_at, $2), settled_at = $2, error = $3 WHERE id = $4 AND outcome " +
                $"= '{HistoryOutcome.Applying.ToWire()}'", connection);
            update.Parameters.Add(new NpgsqlParameter { Value = (undone.Count == 0 ? HistoryOutcome.Applied : HistoryOutcome.Failed).ToWire() });
            update.Parameters.Add(new NpgsqlParameter { Value = at });
            update.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value });
            update.Parameters.Add(new NpgsqlParameter { Value = id });
            await update.ExecuteNonQueryAsync(ct);
        }
        return open.Select(o => o.Id).ToList();
    }

    /// <summary>The newest runs first; empty when no run ever wrote history.</summary>
    public async Task<IReadOnlyList<HistoryRow>> ReadAsync(NpgsqlConnection connection, int limit, CancellationToken ct)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = Table });
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!) return [];
        }
        await using var command = new NpgsqlCommand($"""
            SELECT id, started_at, finished_at, settled_at, target_schema, plan_hash, schema_fingerprint, outcome, changes,
                   lock_retries, run_by, error,
                   (SELECT pg_catalog.sum((h ->> 'amount')::bigint) FROM pg_catalog.jsonb_array_elements(statements) s,
                           pg_catalog.jsonb_array_elements(s -> 'hazards') h WHERE h ->> 'code' = 'DELETES_DATA')
            FROM {Table} WHERE target_schema = $1 ORDER BY id DESC LIMIT $2
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = options.TargetSchema });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var rows = new List<HistoryRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new HistoryRow(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), HistoryOutcomes.Parse(reader.GetString(7)), reader.GetInt32(8),
                reader.GetInt32(9),
                reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11))
            {
                DataDeleted = reader.IsDBNull(12) ? null : (long)reader.GetDecimal(12),
            });
        return rows;
    }

    public async Task<long> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, HistoryEntry entry, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {Table} (started_at, finished_at, target_schema, plan_hash, schema_fingerprint, outcome, changes,
                statements, timings, lock_retries, run_by, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12)
            RETURNING id
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = entry.StartedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.FinishedAt ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Plan.TargetSchema });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Plan.PlanHash });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Plan.SchemaFingerprint });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Outcome.ToWire() });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Plan.Statements.Count });
        command.Parameters.Add(
            new NpgsqlParameter
            {
                Value = JsonSerializer.Serialize(entry.Plan.Statements, MigrationJsonContext.Default.IReadOnlyListPlannedStatement)
            });
        command.Parameters.Add(
            new NpgsqlParameter { Value = JsonSerializer.Serialize(entry.Timings, MigrationJsonContext.Default.IReadOnlyListStatementTiming) });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.LockRetries });
        command.Parameters.Add(new NpgsqlParameter { Value = options.RunBy });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Error ?? DBNull.Value });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task CompleteAsync(NpgsqlConnection connection, long id, HistoryOutcome outcome, DateTimeOffset finishedAt,
        IReadOnlyList<StatementTiming> timings, int lockRetries, string? error, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {Table} SET outcome = $1, finished_at = $2, timings = $3::jsonb, lock_retries = $4, error = $5 WHERE id = $6", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = outcome.ToWire() });
        command.Parameters.Add(new NpgsqlParameter { Value = finishedAt });
        command.Parameters.Add(
            new NpgsqlParameter { Value = JsonSerializer.Serialize(timings, MigrationJsonContext.Default.IReadOnlyListStatementTiming) });
        command.Parameters.Add(new NpgsqlParameter { Value = lockRetries });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>One run as <c>knowitall history</c> shows it. <see cref="SettledAt"/>: when a later run settled a run a kill had left
/// <c>applying</c>.</summary>
public sealed record HistoryRow(
    long Id,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? SettledAt,
    string TargetSchema,
    string PlanHash,
    string SchemaFingerprint,
    HistoryOutcome Outcome,
    int Changes,
    int LockRetries,
    string RunBy,
    string? Error)
{
    /// <summary>The rows and non-null values the run's declared removals deleted (counted when it was planned); null when it deleted none.</summary>
    public long? DataDeleted { get; init; }
}

internal sealed record HistoryEntry(
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    MigrationPlan Plan,
    HistoryOutcome Outcome,
    IReadOnlyList<StatementTiming> Timings,
    int LockRetries,
    string? Error);
