using KnowItAll.Testing;
using System.Diagnostics;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Embedded;
using Npgsql;

namespace KnowItAll.Benchmarks;

/// <summary>
/// validate+plan at 100 / 1,000 / 5,000 tables, beside pg_dump --schema-only of the same database and beside the
/// seed's way of checking (one catalog query per table, column and index).
/// </summary>
public static class ScaleBenchmark
{
    public static async Task<string> RunAsync(EmbeddedPostgres server, IReadOnlyList<int> sizes, int runs, TextWriter log)
    {
        var rows = new List<string>
        {
            "| tables | objects | cold validate+plan, empty DB | cold validate+plan, applied DB | warm validate+plan, applied DB | pg_dump " +
            "--schema-only | per-object loop | loop ÷ warm | warm ÷ pg_dump |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var size in sizes)
        {
            var source = SyntheticSchema.Build(size);
            var db = await server.CreateDatabaseAsync($"scale_{size}");
            await using var dataSource = KnowItAll.Migrations.Connections.CreateDataSource(db);
            var options = new MigrationOptions { RunBy = "benchmark", StatementTimeout = TimeSpan.FromMinutes(30) };

            var coldEmpty = await Timing.RunAsync("cold empty", runs, async () =>
            {
                var engine = new MigrationEngine(dataSource, source, options);
                await engine.ValidateAsync();
                await engine.PlanAsync();
            });
            log.WriteLine($"  {size} tables: cold validate+plan on the empty database {coldEmpty.Median:0} ms");

            var applyWatch = Stopwatch.StartNew();
            var applied = await new MigrationEngine(dataSource, source, options).ApplyAsync(new ApplyRequest());
            log.WriteLine($"  {size} tables: apply of {applied.StatementsExecuted} statements {applyWatch.ElapsedMilliseconds} ms");

            var coldApplied = await Timing.RunAsync("cold applied", runs, async () =>
            {
                var engine = new MigrationEngine(dataSource, source, options);
                await engine.ValidateAsync();
                await engine.PlanAsync();
            });
            var warmEngine = new MigrationEngine(dataSource, source, options);
            var validation = await warmEngine.ValidateAsync();
            if (!validation.SchemaValid) throw new InvalidOperationException($"{size} tables: not valid after apply");
            var warm = await Timing.RunAsync("warm applied", runs, async () =>
            {
                await warmEngine.ValidateAsync();
                await warmEngine.PlanAsync();
            });
            var dump = await Timing.RunAsync("pg_dump", runs, () => PgDumpAsync(server, $"scale_{size}"));
            var loop = await Timing.RunAsync("per-object loop", Math.Min(runs, size >= 5000 ? 1 : runs), () => PerObjectLoopAsync(db, source));

            rows.Add(
                $"| {size:N0} | {validation.ObjectsChecked:N0} | {coldEmpty.Median:N0} ms ({coldEmpty.Spread}) | {coldApplied.Median:N0} ms " +
                $"({coldApplied.Spread}) | " +
                     $"{warm.Median:N0} ms ({warm.Spread}) | {dump.Median:N0} ms ({dump.Spread}) | {loop.Median:N0} ms ({loop.Spread}) | " +
                     $"{loop.Median / warm.Median:0.0}× | {warm.Median / dump.Median:0.00} |");
            log.WriteLine(rows[^1]);
        }
        return string.Join('\n', rows);
    }

    internal static async Task PgDumpAsync(EmbeddedPostgres server, string database)
    {
        var info = new ProcessStartInfo(Path.Combine(EmbeddedPostgres.FindBinaries()!, "pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "--schema-only", "-h", "127.0.0.1", "-p", server.Port.ToString(), "-U", EmbeddedPostgres.SuperUser, database })
            info.ArgumentList.Add(a);
        info.Environment["PGPASSWORD"] = server.Password;
        using var process = Process.Start(info)!;
        var drain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await drain;
        if (process.ExitCode != 0) throw new InvalidOperationException("pg_dump failed: " + await errors);
    }

    /// <summary>The seed's way: one information_schema / pg_indexes query per table, per column and per index.</summary>
    private static async Task PerObjectLoopAsync(string db, SchemaSource source)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        foreach (var statement in source.Files.SelectMany(f => SqlScript.Split(f.Name, f.Text)))
        {
            var words = statement.Words.Split(' ');
            if (statement.Words.StartsWith("CREATE TABLE ", StringComparison.Ordinal))
            {
                var table = words[2].ToLowerInvariant();
                await ExistsAsync(connection,
                    "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = $1)", table);
                foreach (var line in statement.Text.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0 && char.IsLower(l[0])))
                    await ExistsAsync(connection,
                        "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name " +
                        "= $2)", table, line.Split(' ')[0]);
            }
            else if (statement.Words.StartsWith("CREATE INDEX ", StringComparison.Ordinal))
            {
                await ExistsAsync(connection, "SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = 'public' AND indexname = $1)",
                    words[2].ToLowerInvariant());
            }
        }
    }

    private static async Task ExistsAsync(NpgsqlConnection connection, string sql, params string[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var a in args) command.Parameters.Add(new NpgsqlParameter { Value = a });
        if (await command.ExecuteScalarAsync() is not true) throw new InvalidOperationException($"per-object loop: {string.Join('.', args)} missing");
    }
}
