using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Reads one schema into a <see cref="SchemaModel"/>: its census (<see cref="CatalogCensus"/>), then one batch of per-kind queries, on one
/// or two connections.
/// </summary>
public static class CatalogReader
{
    /// <summary>
    /// Reads <paramref name="schema"/>. Outside a transaction it opens a read-only REPEATABLE READ one so all kinds
    /// come from one snapshot; inside one (the desired-schema scratch load) it uses that.
    /// </summary>
    /// <param name="helpers">
    /// Where a second connection may come from. Outside a transaction the kinds are then read in two halves at once,
    /// the second on a connection that imports this one's exported snapshot (as <c>pg_dump -j</c> does), so both see
    /// exactly the same catalog: the server deparses indexes and constraints on two cores instead of one. When no
    /// second connection can be had (a pool of one, the server's connection limit), or the server's lock table is too
    /// small for two (<see cref="ExportSnapshot"/>), everything is read on this one.
    /// </param>
    public static async Task<SchemaModel> ReadAsync(NpgsqlConnection connection, string schema, TimeSpan lockTimeout,
        CancellationToken cancellationToken, NpgsqlTransaction? transaction = null, NpgsqlDataSource? helpers = null)
    {
        var own = transaction is null;
        var parts = new Parts();
        var tx = transaction ?? await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        try
        {
            var setup = Setup(lockTimeout, readOnly: own);
            if (own && helpers is not null && AllowsSecondConnection(helpers))
            {
                // The helper connects while this connection exports its snapshot, takes the census and starts on its own half.
                var helper = OpenHelperAsync(helpers, cancellationToken);
                var exported = new TaskCompletionSource<(string Snapshot, IReadOnlySet<string> Present)>(
                    TaskCreationOptions.RunContinuationsAsynchronously);
                var second = ReadOnHelperAsync(helper, exported.Task, setup, schema, parts, cancellationToken);
                IReadOnlySet<string> present;
                try
                {
                    (var snapshot, present) = await BeginAsync(connection, tx, setup, schema, export: true, cancellationToken);
                    if (snapshot is not null) exported.TrySetResult((snapshot, present));
                    else exported.TrySetCanceled(cancellationToken);
                    await ReadKindsAsync(connection, tx, [], First, present, schema, parts, cancellationToken);
                }
                catch
                {
                    // The helper never outlives the read: it gets no snapshot, or finishes with the one it has. This
                    // connection's failure is the one reported (WhenAny waits without rethrowing the helper's).
                    exported.TrySetCanceled(cancellationToken);
                    await Task.WhenAny(second);
                    throw;
                }
                // The exporting transaction stays open until the helper has imported the snapshot and read its half.
                if (!await second) await ReadKindsAsync(connection, tx, [], Second, present, schema, parts, cancellationToken);
            }
            else
            {
                var (_, present) = await BeginAsync(connection, tx, setup, schema, export: false, cancellationToken);
                await ReadKindsAsync(connection, tx, [], [.. First, .. Second], present, schema, parts, cancellationToken);
            }
            if (own) await tx.CommitAsync(cancellationToken);
            return parts.Model(schema);
        }
        finally
        {
            if (own) await tx.DisposeAsync();
        }
    }

    /// <summary>
    /// The size of each of <paramref name="tables"/>: whether its heap has rows (<c>pg_relation_size</c> &gt; 0) and the
    /// bytes a rewrite copies (<c>pg_total_relation_size</c>: heap, TOAST and indexes); a table that is gone reads as
    /// empty. It opens each table, so it takes an ACCESS SHARE lock on it for the statement, within
    /// <paramref name="lockTimeout"/>: asked only for the tables a planned change depends on.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, TableSize>> TableSizesAsync(NpgsqlConnection connection, string schema,
        IReadOnlyCollection<string> tables, TimeSpan lockTimeout, CancellationToken cancellationToken)
    {
        var sizes = tables.ToDictionary(t => t, _ => TableSize.Empty, StringComparer.Ordinal);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var sql in Setup(lockTimeout, readOnly: true)) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        var query = new NpgsqlBatchCommand("""
            SELECT c.relname, pg_relation_size(c.oid) > 0, pg_total_relation_size(c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname = ANY($2)
            """);
        query.Parameters.Add(new NpgsqlParameter { Value = schema });
        query.Parameters.Add(new NpgsqlParameter { Value = tables.ToArray() });
        batch.BatchCommands.Add(query);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) sizes[reader.GetString(0)] = new TableSize(reader.GetBoolean(1), reader.GetInt64(2));
        }
        await tx.CommitAsync(cancellationToken);
        return sizes;
    }

    private static string[] Setup(TimeSpan lockTimeout, bool readOnly) =>
    [
        "SET LOCAL search_path = pg_catalog",
        $"SET LOCAL lock_timeout = {(long)lockTimeout.TotalMilliseconds}",
        // A parallel worker is a new backend whose catalog caches are cold: on catalog queries of a few thousand rows it
        // costs more than it shares (the comment query took twice as long with two workers at 1,000 tables).
        "SET LOCAL max_parallel_workers_per_gather = 0",
        .. readOnly ? new[] { "SET TRANSACTION READ ONLY" } : [],
    ];

    /// <summary>A pool of one would wait for this very connection: then there is no helper.</summary>
    private static bool AllowsSecondConnection(NpgsqlDataSource source)
    {
        var settings = new NpgsqlConnectionStringBuilder(source.ConnectionString);
        return !settings.Pooling || settings.MaxPoolSize >= 2;
    }

    private static async Task<NpgsqlConnection?> OpenHelperAsync(NpgsqlDataSource helpers, CancellationToken ct)
    {
        try
        {
            return await helpers.OpenConnectionAsync(ct);
        }
        catch (NpgsqlException)
        {
            // Too many connections, or none to be had in time: the first connection reads everything.
            return null;
        }
    }

    /// <summary>
    /// Reads the second half into <paramref name="parts"/> on the helper, in the exported snapshot; false when the helper
    /// could not (the first connection then reads that half, setting the same kinds again).
    /// </summary>
    private static async Task<bool> ReadOnHelperAsync(Task<NpgsqlConnection?> opening, Task<(string Snapshot, IReadOnlySet<string> Present)> exported,
        string[] setup, string schema, Parts parts, CancellationToken ct)
    {
        await using var connection = await opening;
        if (connection is null) return false;
        string id;
        IReadOnlySet<string> present;
        try
        {
            (id, present) = await exported;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        try
        {
            await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            // SET TRANSACTION SNAPSHOT must come before anything else in the transaction.
            await ReadKindsAsync(connection, tx, [$"SET TRANSACTION SNAPSHOT {Identifier.Literal(id)}", .. setup], Second, present, schema, parts,
                ct);
            await tx.CommitAsync(ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState is "0A000" or "22023" or "55000")
        {
            // The server cannot share the snapshot (a pooler between, an old standby): the first connection reads this half.
            return false;
        }
    }

    /// <summary>
    /// The snapshot to share, and whether to share it. The catalog functions lock each table they deparse until the read
    /// commits (defaults and checks on one connection, index predicates on the other: up to two locks per table in all),
    /// so the second connection is used only while that fits in half of the server's lock table; a server with the
    /// default 64 locks per transaction and 100 connections reads up to 1,600 tables on two connections, more on one,
    /// which needs no more lock slots than before.
    /// </summary>
    private const string ExportSnapshot = """
        SELECT pg_export_snapshot(),
               2 * (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'm'))
               <= current_setting('max_locks_per_transaction')::bigint
                  * (current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint) / 2
        """;

    /// <summary>
    /// Starts the read on the first connection: its settings, the exported snapshot when <paramref name="export"/> (null when it
    /// is not to be shared, see <see cref="ExportSnapshot"/>), and the census of what the schema has (<see cref="CatalogCensus"/>),
    /// in one round trip before the kinds' queries.
    /// </summary>
    private static async Task<(string? Snapshot, IReadOnlySet<string> Present)> BeginAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        string[] setup, string schema, bool export, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var sql in setup) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        foreach (var sql in export ? [ExportSnapshot, CatalogCensus.Query] : new[] { CatalogCensus.Query })
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql) { Parameters = { new NpgsqlParameter { Value = schema } } });
        await using var reader = await batch.ExecuteReaderAsync(ct);
        // The statements before them return no rows; the export (when asked) and the census are the results with rows.
        string? snapshot = null;
        if (export)
        {
            await reader.ReadAsync(ct);
            if (reader.GetBoolean(1)) snapshot = reader.GetString(0);
            await reader.NextResultAsync(ct);
        }
        var present = new HashSet<string>(StringComparer.Ordinal);
        if (await reader.ReadAsync(ct)) present.UnionWith(reader.GetFieldValue<string[]>(0));
        return (snapshot, present);
    }

    private static async Task ReadKindsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string[] setup, CatalogQuery[] kinds,
        IReadOnlySet<string> present, string schema, Parts parts, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var sql in setup) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        foreach (var kind in kinds)
        {
            var sql = kind.RunsWhen is null || kind.RunsWhen.Any(present.Contains) ? kind.Sql : CatalogCensus.Skipped;
            var command = new NpgsqlBatchCommand(sql);
            if (sql.Contains("$1", StringComparison.Ordinal)) command.Parameters.Add(new NpgsqlParameter { Value = schema });
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        for (var k = 0; k < kinds.Length; k++)
        {
            if (k > 0) await reader.NextResultAsync(ct);
            parts.Set(kinds[k], await kinds[k].Read(reader, ct));
        }
    }

    // Two halves of about equal server time at 1,000 tables: columns, constraint definitions and comments on the first
    // connection; index definitions and grants on the helper, which starts a few milliseconds later (it connects, then
    // waits for the snapshot). Each kind says which half its queries are in (CatalogQuery.OnHelper).
    private static readonly CatalogQuery[] First = [.. KindRegistry.All.SelectMany(k => k.Catalog).Where(q => !q.OnHelper)];

    private static readonly CatalogQuery[] Second = [.. KindRegistry.All.SelectMany(k => k.Catalog).Where(q => q.OnHelper)];

    /// <summary>
    /// What the queries have read, by query: the two halves set different queries from two threads (under a lock), and the
    /// model is put together only once both have finished (the first connection awaits the helper).
    /// </summary>
    private sealed class Parts
    {
        private readonly Dictionary<CatalogQuery, object> _read = new(ReferenceEqualityComparer.Instance);

        /// <summary>Each query is set once, by the one connection that ran it; the two halves set different queries.</summary>
        public void Set(CatalogQuery query, object value)
        {
            lock (_read) _read[query] = value;
        }

        /// <summary>The model: every kind's queries applied in registry order to an empty one.</summary>
        public SchemaModel Model(string schema)
        {
            var model = new SchemaModel(schema, [], [], [], [], [], [], new HashSet<string>());
            foreach (var query in KindRegistry.All.SelectMany(k => k.Catalog)) model = query.Apply(model, _read[query]);
            return model;
        }
    }
}
