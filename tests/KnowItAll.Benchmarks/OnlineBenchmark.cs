using System.Diagnostics;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Embedded;
using Npgsql;

namespace KnowItAll.Benchmarks;

/// <summary>
/// A table with a million rows under steady writes from several connections. The same change (a column with a
/// default, an index, a foreign key) is applied by the engine and the naive way, each on its own copy; the
/// writers' throughput and their longest stall are measured during each.
/// </summary>
public static class OnlineBenchmark
{
    private const string Base = """
        CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);
        CREATE TABLE orders (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            customer_id integer NOT NULL,
            amount numeric(10,2) NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    private const string Change = """
        ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';
        CREATE INDEX idx_orders_customer ON orders (customer_id);
        ALTER TABLE orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
        """;

    public sealed record Window(string Name, double Seconds, long Operations, TimeSpan LongestStall, TimeSpan P99)
    {
        public double Throughput => Operations / Seconds;
    }

    public static async Task<string> RunAsync(EmbeddedPostgres server, int rows, int writers, TimeSpan lockTimeout, TextWriter log)
    {
        var template = await server.CreateDatabaseAsync("online_template");
        await Execute(template, Base + $"""
            INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 10000) g;
            INSERT INTO orders (customer_id, amount) SELECT 1 + g % 10000, (g % 1000) / 10.0 FROM generate_series(1, {rows}) g;
            """);
        await Execute(template, "VACUUM ANALYZE orders");
        NpgsqlConnection.ClearAllPools();
        var engineDb = await Clone(server, "online_engine");
        var naiveDb = await Clone(server, "online_naive");
        log.WriteLine($"  online: {rows:N0} rows loaded, {writers} writers");

        var options = new MigrationOptions { LockTimeout = lockTimeout, MaxLockRetries = 5, RunBy = "benchmark" };
        var source = SchemaSource.FromFiles(new SchemaFile("online/00_base.sql", Base), new SchemaFile("online/10_change.sql", Change));

        var engineBaseline = await MeasureAsync(engineDb, writers, "baseline (engine copy)", () => Task.Delay(TimeSpan.FromSeconds(3)));
        var engineRun = await MeasureAsync(engineDb, writers, "engine apply", async () =>
        {
            await using var dataSource = NpgsqlDataSource.Create(engineDb);
            var result = await new MigrationEngine(dataSource, source, options).ApplyAsync(new ApplyRequest());
            log.WriteLine($"  engine: {result.StatementsExecuted} statements, {result.LockRetries} lock retries, {result.DurationMs} ms");
        });
        var naiveBaseline = await MeasureAsync(naiveDb, writers, "baseline (naive copy)", () => Task.Delay(TimeSpan.FromSeconds(3)));
        var naiveRun = await MeasureAsync(naiveDb, writers, "naive apply", () => Execute(naiveDb, "BEGIN;\n" + Change + "\nCOMMIT;"));

        var lines = new List<string>
        {
            $"Lock timeout configured for the engine: {lockTimeout.TotalMilliseconds:0} ms.",
            "",
            "| window | duration | writes/s | p99 write latency | longest write stall |",
            "|---|---:|---:|---:|---:|",
        };
        foreach (var w in new[] { engineBaseline, engineRun, naiveBaseline, naiveRun })
            lines.Add(
                $"| {w.Name} | {w.Seconds:0.0} s | {w.Throughput:N0} | {w.P99.TotalMilliseconds:0} ms | {w.LongestStall.TotalMilliseconds:N0} ms |");
        return string.Join('\n', lines);
    }

    private static async Task<Window> MeasureAsync(string db, int writers, string name, Func<Task> during)
    {
        using var stop = new CancellationTokenSource();
        var latencies = new List<TimeSpan>[writers];
        var tasks = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = [];
            var random = new Random(i);
            await using var connection = new NpgsqlConnection(db);
            await connection.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                await using var command = random.Next(2) == 0
                    ? new NpgsqlCommand($"INSERT INTO orders (customer_id, amount) VALUES ({1 + random.Next(10000)}, 9.99)", connection)
                    : new NpgsqlCommand($"UPDATE orders SET amount = amount + 1 WHERE id = {1 + random.Next(100000)}", connection);
                await command.ExecuteNonQueryAsync();
                mine.Add(watch.Elapsed);
            }
        })).ToList();
        await Task.Delay(500);
        var window = Stopwatch.StartNew();
        var before = latencies.Sum(l => l.Count);
        await during();
        var seconds = window.Elapsed.TotalSeconds;
        var operations = latencies.Sum(l => l.Count) - before;
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Window(name, seconds, operations, all[^1], all[(int)(all.Count * 0.99)]);
    }

    private static async Task<string> Clone(EmbeddedPostgres server, string name)
    {
        await Execute(server.ConnectionString("postgres"), $"CREATE DATABASE {name} TEMPLATE online_template");
        return server.ConnectionString(name);
    }

    private static async Task Execute(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
