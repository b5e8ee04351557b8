using System.Diagnostics;
using KnowItAll.Migrations.Planning;
using Npgsql;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Apply;

/// <summary>
/// Applies a plan safely: a session advisory lock serialises runs; the plan is recomputed under it and refused
/// when it has blocking hazards; a history row an interrupted run left "applying" is settled; statements that
/// must run outside the transaction before it (enum values) run first, one by one; the transactional
/// statements and the history row commit together; index builds and validations on tables with rows run
/// afterwards, one by one. Every lock timeout goes through <see cref="LockRetry"/>.
/// </summary>
internal sealed class PlanExecutor(
    NpgsqlDataSource dataSource,
    MigrationOptions options,
    TimeProvider time,
    Func<NpgsqlConnection, CancellationToken, Task<MigrationPlan>> plan)
{
    private const string QueryCanceled = "57014";
    private readonly HistoryStore _history = new(options);
    private readonly LockRetry _retry = new(options, time);

    public async Task<ApplyResult> ApplyAsync(ApplyRequest request, IProgress<ApplyProgress>? progress, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var startedAt = time.GetUtcNow();
        await using var connection = await Connections.OpenAsync(dataSource, ct);
        try
        {
            await AcquireRunLockAsync(connection, ct);
            try
            {
                return await ApplyUnderLockAsync(connection, request, progress, startedAt, started, ct);
            }
            finally
            {
                await ReleaseRunLockAsync(connection);
            }
        }
        catch (Exception e) when (Connections.Unavailable(e) is { } unavailable)
        {
            throw unavailable;
        }
    }

    private async Task<ApplyResult> ApplyUnderLockAsync(NpgsqlConnection connection, ApplyRequest request, IProgress<ApplyProgress>? progress,
        DateTimeOffset startedAt, long started, CancellationToken ct)
    {
        await _history.EnsureAsync(connection, ct);
        var current = await plan(connection, ct);
        await _history.SettleAsync(connection, current, time.GetUtcNow(), ct);
        if (request.Approved && request.ExpectedPlanHash is null)
            throw new MigrationException(MigrationErrors.InvalidInput, "an approved apply names the plan hash that was approved");
        // An approval is for one plan: it allows that plan's opt-in hazards only once the plan is known to be the same.
        if (request.Approved && !string.Equals(request.ExpectedPlanHash, current.PlanHash, StringComparison.OrdinalIgnoreCase))
            throw Stale(request.ExpectedPlanHash!, current);
        var blocking = request.Approved ? current.Blocking.Except(current.AwaitingOptIn).ToList() : current.Blocking;
        if (blocking.Count > 0) throw Blocked(current with { Blocking = blocking });
        if (!current.HasChanges)
        {
            var noop = await _history.InsertAsync(connection, null, new HistoryEntry(startedAt, time.GetUtcNow(), current, HistoryOutcome.NoChanges,
                [], 0, null), ct);
            return Result(current, changed: false, [], 0, noop, started);
        }
        if (request.ExpectedPlanHash is { } expected && !string.Equals(expected, current.PlanHash, StringComparison.OrdinalIgnoreCase))
            throw Stale(expected, current);

        // Plan order: statements outside the transaction before its first statement, the transaction, the rest after it.
        var firstInTransaction = current.Statements.TakeWhile(s => !s.Transactional).Count();
        var before = current.Statements.Take(firstInTransaction).ToList();
        var transactional = current.Statements.Where(s => s.Transactional).ToList();
        var afterwards = current.Statements.Skip(firstInTransaction).Where(s => !s.Transactional).ToList();
        var timings = new List<StatementTiming>();
        var retries = 0;
        long historyId;
        try
        {
            if (before.Count > 0)
            {
                await SetSessionTimeoutsAsync(connection, ct);
                foreach (var statement in before)
                    retries += await RunAloneAsync(connection, statement, current.Statements.Count, timings, progress, ct);
            }
            int transactionRetries;
            (historyId, transactionRetries) = await RunTransactionAsync(connection, current, transactional, afterwards.Count == 0, timings, progress,
                startedAt, ct);
            retries += transactionRetries;
        }
        catch (MigrationException e) when (e.ErrorName != MigrationErrors.DatabaseUnavailable)
        {
            await RecordFailureAsync(connection, current, startedAt, e.Message);
            throw;
        }

        if (afterwards.Count > 0)
        {
            try
            {
                await SetSessionTimeoutsAsync(connection, ct);
                foreach (var statement in afterwards)
                    retries += await RunAloneAsync(connection, statement, current.Statements.Count, timings, progress, ct);
            }
            catch (MigrationException e) when (e.ErrorName != MigrationErrors.DatabaseUnavailable)
            {
                await _history.CompleteAsync(connection, historyId, HistoryOutcome.Failed, time.GetUtcNow(), timings, retries, e.Message,
                    CancellationToken.None);
                throw;
            }
            await _history.CompleteAsync(connection, historyId, HistoryOutcome.Applied, time.GetUtcNow(), timings, retries, null, ct);
        }
        return Result(current, changed: true, timings, retries, historyId, started);
    }

    private static MigrationException Stale(string expected, MigrationPlan current) => new(MigrationErrors.PlanStale,
        $"the database changed since the plan was made: expected plan {expected[..12]}…, the plan now is {current.PlanHash[..12]}… " +
        $"({current.Statements.Count} statements). Plan again and review it.");

    /// <summary>Every blocking hazard of the plan, in one error; nothing has been changed.</summary>
    private static MigrationException Blocked(MigrationPlan plan)
    {
        const int shown = 10;
        var text = string.Join(" | ", plan.Blocking.Take(shown).Select(h => $"{h.Code.ToWire()}: {h.Message}"));
        var more = plan.Blocking.Count > shown ? $" | and {plan.Blocking.Count - shown} more (see the plan)" : "";
        return new MigrationException(MigrationErrors.UnsafeChange,
            $"the plan has {plan.Blocking.Count} blocking hazard{(plan.Blocking.Count == 1 ? "" : "s")}; nothing was applied: {text}{more}");
    }

    private async Task<(long HistoryId, int Retries)> RunTransactionAsync(NpgsqlConnection connection, MigrationPlan current,
        IReadOnlyList<PlannedStatement> statements, bool complete, List<StatementTiming> timings, IProgress<ApplyProgress>? progress,
        DateTimeOffset startedAt, CancellationToken ct)
    {
        PlannedStatement? running = null;
        var ((id, attemptTimings), retries) = await _retry.RunAsync(async attempt =>
        {
            var attemptTimings = new List<StatementTiming>();
            // Disposing the transaction rolls it back, so a retry never waits while holding a lock.
            await using var tx = await connection.BeginTransactionAsync(ct);
            try
            {
                await ExecuteAsync(connection, tx,
                    $"{SessionSql.LocalTimeouts(options.LockTimeout, options.StatementTimeout)}; SET LOCAL check_function_bodies = off", ct);
                foreach (var statement in statements)
                {
                    running = statement;
                    progress?.Report(new ApplyProgress(statement.Order, current.Statements.Count, statement.ObjectName, "running"));
                    var watch = Stopwatch.StartNew();
                    await ExecuteAsync(connection, tx, statement.Sql, ct);
                    attemptTimings.Add(new StatementTiming(statement.Order, statement.ObjectName, watch.ElapsedMilliseconds, attempt + 1));
                    progress?.Report(new ApplyProgress(statement.Order, current.Statements.Count, statement.ObjectName, "done"));
                }
                running = null;
                var id = await _history.InsertAsync(connection, tx,
                    new HistoryEntry(startedAt, complete ? time.GetUtcNow() : null, current, complete ? HistoryOutcome.Applied
                        : HistoryOutcome.Applying, attemptTimings, attempt, null), ct);
                await tx.CommitAsync(ct);
                return (id, attemptTimings);
            }
            catch (PostgresException e) when (running is not null && e.SqlState != LockRetry.LockNotAvailable && Connections.Unavailable(e) is null)
            {
                throw Failed(running, e);
            }
        }, () => running, ct);
        timings.AddRange(attemptTimings);
        return (id, retries);
    }

    private async Task<int> RunAloneAsync(NpgsqlConnection connection, PlannedStatement statement, int total, List<StatementTiming> timings,
        IProgress<ApplyProgress>? progress, CancellationToken ct)
    {
        progress?.Report(new ApplyProgress(statement.Order, total, statement.ObjectName, "running"));
        var watch = Stopwatch.StartNew();
        var (_, retries) = await _retry.RunAsync(async attempt =>
        {
            try
            {
                if (statement.Kind == StatementKind.Index) await DropInvalidIndexAsync(connection, statement.ObjectName, ct);
                await ExecuteAsync(connection, null, statement.Sql, ct);
                timings.Add(new StatementTiming(statement.Order, statement.ObjectName, watch.ElapsedMilliseconds, attempt + 1));
                return true;
            }
            catch (PostgresException e) when (Connections.Unavailable(e) is null)
            {
                if (statement.Kind == StatementKind.Index) await DropInvalidIndexAsync(connection, statement.ObjectName, CancellationToken.None);
                if (e.SqlState == LockRetry.LockNotAvailable) throw;
                throw Failed(statement, e);
            }
        }, () => statement, ct);
        progress?.Report(new ApplyProgress(statement.Order, total, statement.ObjectName, "done"));
        return retries;
    }

    /// <summary>
    /// A failed CREATE INDEX CONCURRENTLY leaves an invalid index that IF NOT EXISTS would then skip. Only an
    /// index of the plan's own name that PostgreSQL marks invalid is removed, so it can be built again.
    /// </summary>
    private async Task DropInvalidIndexAsync(NpgsqlConnection connection, string name, CancellationToken ct)
    {
        await using var find = new NpgsqlCommand("""
            SELECT 1 FROM pg_catalog.pg_index x
            JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace
            WHERE n.nspname = $1 AND i.relname = $2 AND NOT x.indisvalid
            """, connection);
        find.Parameters.Add(new NpgsqlParameter { Value = options.TargetSchema });
        find.Parameters.Add(new NpgsqlParameter { Value = name });
        if (await find.ExecuteScalarAsync(ct) is null) return;
        await ExecuteAsync(connection, null, $"DROP INDEX CONCURRENTLY IF EXISTS {Qualify(options.TargetSchema, name)}", ct);
    }

    /// <summary>
    /// The recorded runs, newest first. When no run holds the run lock, runs a kill left <c>applying</c> are settled
    /// first (from a plan computed now), so the history tells what happened; while a run holds it, its row is
    /// <c>applying</c> because it is.
    /// </summary>
    public async Task<IReadOnlyList<HistoryRow>> HistoryAsync(int limit, CancellationToken ct)
    {
        await using var connection = await Connections.OpenAsync(dataSource, ct);
        try
        {
            var rows = await _history.ReadAsync(connection, limit, ct);
            if (!rows.Any(r => r.Outcome == HistoryOutcome.Applying)) return rows;
            await using var tryLock = new NpgsqlCommand(SessionSql.TryRunLock, connection);
            tryLock.Parameters.Add(new NpgsqlParameter { Value = options.TargetSchema });
            if (!(bool)(await tryLock.ExecuteScalarAsync(ct))!) return rows;
            try
            {
                await _history.EnsureAsync(connection, ct);
                await _history.SettleAsync(connection, await plan(connection, ct), time.GetUtcNow(), ct);
            }
            finally
            {
                await ReleaseRunLockAsync(connection);
            }
            return await _history.ReadAsync(connection, limit, ct);
        }
        catch (Exception e) when (Connections.Unavailable(e) is { } unavailable)
        {
            throw unavailable;
        }
    }

    private async Task AcquireRunLockAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await ExecuteAsync(connection, null,
            $"{SessionSql.SessionTimeouts(TimeSpan.Zero, options.StatementTimeout)}; SET application_name = 'knowitall-migrate'", ct);
        await using var command = new NpgsqlCommand(SessionSql.RunLock, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = options.TargetSchema });
        try
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == QueryCanceled)
        {
            throw new MigrationException(MigrationErrors.LockTimeout,
                $"another migration of schema {options.TargetSchema} held the run lock for longer than {options.StatementTimeout.TotalSeconds:0} s",
                e);
        }
    }

    private async Task ReleaseRunLockAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open) return;
        try
        {
            await using var command = new NpgsqlCommand(SessionSql.RunUnlock, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = options.TargetSchema });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            await ExecuteAsync(connection, null, "RESET lock_timeout; RESET statement_timeout; RESET application_name", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The session is gone, and the advisory lock with it.
        }
    }

    private async Task RecordFailureAsync(NpgsqlConnection connection, MigrationPlan current, DateTimeOffset startedAt, string error)
    {
        if (connection.FullState != System.Data.ConnectionState.Open) return;
        try
        {
            await _history.InsertAsync(connection, null, new HistoryEntry(startedAt, time.GetUtcNow(), current, HistoryOutcome.Failed, [], 0, error),
                CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The failure itself is what the caller needs; a history row that cannot be written must not replace it.
        }
    }

    private Task SetSessionTimeoutsAsync(NpgsqlConnection connection, CancellationToken ct) =>
        ExecuteAsync(connection, null, SessionSql.SessionTimeouts(options.LockTimeout, options.StatementTimeout), ct);

    private static MigrationException Failed(PlannedStatement statement, PostgresException e) => e.SqlState == QueryCanceled
        ? new MigrationException(MigrationErrors.ApplyFailed,
            $"statement {statement.Order} ({statement.Kind.ToWire()} {statement.ObjectName}) exceeded the statement timeout", e)
        : new MigrationException(MigrationErrors.ApplyFailed,
            $"statement {statement.Order} ({statement.Kind.ToWire()} {statement.ObjectName}) failed: {e.MessageText} [{e.SqlState}]", e);

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    private static ApplyResult Result(MigrationPlan plan, bool changed, IReadOnlyList<StatementTiming> timings, int retries, long? historyId,
        long started)
    {
        var s = changed ? plan.Summary : PlanSummary.Empty;
        return new ApplyResult(
            Changed: changed,
            PlanHash: plan.PlanHash,
            SchemaFingerprint: plan.SchemaFingerprint,
            StatementsExecuted: changed ? plan.Statements.Count : 0,
            ExtensionsCreated: s.ExtensionsCreated,
            SequencesCreated: s.SequencesCreated,
            TablesCreated: s.TablesCreated,
            ColumnsAdded: s.ColumnsAdded,
            IndexesCreated: s.IndexesCreated,
            ConstraintsAdded: s.ConstraintsAdded,
            GrantsApplied: s.GrantsApplied,
            Timings: timings,
            LockRetries: retries,
            HistoryId: historyId,
            DurationMs: (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            Plan: plan);
    }
}
