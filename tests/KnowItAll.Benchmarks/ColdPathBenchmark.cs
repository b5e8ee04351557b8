using KnowItAll.Testing;
using System.Diagnostics;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Embedded;

namespace KnowItAll.Benchmarks;

/// <summary>
/// The cold path as whole processes, side by side with <c>pg_dump --schema-only</c> in the same run, pair by pair:
/// <c>knowitall validate --json</c> and <c>knowitall plan --json</c> (a new process each, as a person or a script
/// runs them) and the Native AOT Validate and Plan functions from process start to their answer, each reading the
/// compiled model beside the schema files; and the same without a compiled model (the files run on the database).
/// Then a whole-schema <c>knowitall workflow run</c>: a fresh apply, and a run with nothing to do.
/// </summary>
public static class ColdPathBenchmark
{
    public sealed record Pair(double Dump, double Validate, double Plan, double FunctionValidate, double FunctionPlan);

    public static async Task<string> RunAsync(EmbeddedPostgres server, IReadOnlyList<int> sizes, int runs, string cli, string bootstrap,
        int endToEndSize, TextWriter log)
    {
        var work = Directory.CreateTempSubdirectory("knowitall-coldpath-");
        var cache = Path.Combine(work.FullName, "cache");
        try
        {
            var rows = new List<string>
            {
                "| tables | pg_dump --schema-only | | validate | plan | validate ÷ pg_dump | plan ÷ pg_dump | validate+plan ÷ pg_dump | without " +
                "compiled model: validate+plan ÷ pg_dump |",
                "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
            };
            var builds = new List<string> { "| tables | `knowitall schema build` (whole process) | compiled model size |", "|---:|---:|---:|" };
            foreach (var size in sizes)
            {
                var schema = WriteSchema(work.FullName, size);
                var db = await server.CreateDatabaseAsync($"coldpath_{size}");
                var bare = Path.Combine(work.FullName, $"bare_{size}");
                CopySql(schema, bare);

                var build = await TimeAsync(cli, ["schema", "build", "--schema", schema, "--connection", db], cache);
                builds.Add($"| {size:N0} | {build:N0} ms | {new FileInfo(CompiledModelFile.DefaultPath(schema)).Length / 1024.0 / 1024.0:0.0} MiB |");
                log.WriteLine(builds[^1]);
                var apply = await TimeAsync(cli, ["apply", "--schema", schema, "--connection", db, "--json"], cache);
                log.WriteLine($"  {size} tables: applied in {apply:N0} ms");

                var function = new Dictionary<string,
                    string>
                { ["DB_CONNECTION_STRING"] = db, ["KNOWITALL_SCHEMA_DIR"] = schema, ["KNOWITALL_ENVIRONMENT"] = "bench" };
                var pairs = new List<Pair>();
                for (var run = 0; run < runs; run++)
                {
                    pairs.Add(new Pair(
                        await TimeAsync(() => ScaleBenchmark.PgDumpAsync(server, $"coldpath_{size}")),
                        await TimeAsync(cli, ["validate", "--schema", schema, "--connection", db, "--json"], cache),
                        await TimeAsync(cli, ["plan", "--schema", schema, "--connection", db, "--json"], cache),
                        await TimeAsync(() => ColdStartBenchmark.FirstInvocationAsync(bootstrap, [], Handler(function, "Validate"))),
                        await TimeAsync(() => ColdStartBenchmark.FirstInvocationAsync(bootstrap, [], Handler(function, "Plan")))));
                    log.WriteLine($"  {size} tables, run {run + 1}: {pairs[^1]}");
                }

                // Without a compiled model: the CLI with an empty cache and the functions without the file build the model each time.
                // Not at 5,000 tables: the function cannot answer within the one-minute deadline the benchmark gives it.
                var withoutRuns = size >= 5000 ? 0 : Math.Min(runs, 3);
                var without = new List<(double Cli, double Functions, double Dump)>();
                var bareFunction = new Dictionary<string, string>(function) { ["KNOWITALL_SCHEMA_DIR"] = bare };
                for (var run = 0; run < withoutRuns; run++)
                {
                    var dump = await TimeAsync(() => ScaleBenchmark.PgDumpAsync(server, $"coldpath_{size}"));
                    var empty = Path.Combine(work.FullName, $"empty-cache-{size}-{run}");
                    var cliTime = await TimeAsync(cli, ["validate", "--schema", bare, "--connection", db, "--json"], empty)
                                  + await TimeAsync(cli, ["plan", "--schema", bare, "--connection", db, "--json"], empty + "-plan");
                    var functions = await TimeAsync(() => ColdStartBenchmark.FirstInvocationAsync(bootstrap, [], Handler(bareFunction, "Validate")))
                                    + await TimeAsync(() => ColdStartBenchmark.FirstInvocationAsync(bootstrap, [], Handler(bareFunction, "Plan")));
                    without.Add((cliTime, functions, dump));
                    log.WriteLine(
                        $"  {size} tables, without compiled model, run {run + 1}: CLI {cliTime:N0} ms, functions {functions:N0} ms, pg_dump " +
                        $"{dump:N0} ms");
                }

                rows.Add(
                    $"| {size:N0} | {Median(pairs.Select(p => p.Dump))} | CLI | {Median(pairs.Select(p => p.Validate))} | " +
                    $"{Median(pairs.Select(p => p.Plan))} | " +
                         $"{Ratio(pairs.Select(p => p.Validate / p.Dump))} | {Ratio(pairs.Select(p => p.Plan / p.Dump))} | " +
                         $"**{Ratio(pairs.Select(p => (p.Validate + p.Plan) / p.Dump))}** | " +
                         $"{Ratio(without.Select(w => w.Cli / w.Dump))} |");
                rows.Add($"| | | AOT functions | {Median(pairs.Select(p => p.FunctionValidate))} | {Median(pairs.Select(p => p.FunctionPlan))} | " +
                         $"{Ratio(pairs.Select(p => p.FunctionValidate / p.Dump))} | {Ratio(pairs.Select(p => p.FunctionPlan / p.Dump))} | " +
                         $"**{Ratio(pairs.Select(p => (p.FunctionValidate + p.FunctionPlan) / p.Dump))}** | " +
                         $"{Ratio(without.Select(w => w.Functions / w.Dump))} |");
                log.WriteLine(string.Join('\n', rows[^2..]));
            }

            var lines = new List<string>(rows) { "" };
            lines.AddRange(builds);
            if (endToEndSize > 0)
            {
                var schema = WriteSchema(work.FullName, endToEndSize);
                if (!File.Exists(CompiledModelFile.DefaultPath(schema)))
                    await TimeAsync(cli,
                        ["schema", "build", "--schema", schema, "--connection", await server.CreateDatabaseAsync($"e2e_build_{endToEndSize}")],
                        cache);
                var db = await server.CreateDatabaseAsync($"e2e_{endToEndSize}");
                var fresh = await TimeAsync(cli, ["workflow", "run", "--action", "apply", "--schema", schema, "--connection", db, "--report-dir",
                    Path.Combine(work.FullName, "reports")], cache);
                var again = await TimeAsync(cli, ["workflow", "run", "--action", "apply", "--schema", schema, "--connection", db, "--report-dir",
                    Path.Combine(work.FullName, "reports")], cache);
                lines.AddRange(["", "| `knowitall workflow run` at " + $"{endToEndSize:N0} tables (whole process) | time |", "|---|---:|",
                    $"| fresh apply (validate, plan, apply, verify permissions, notify) | {fresh / 1000:0.0} s |",
                    $"| no change (validate, notify) | {again / 1000:0.0} s |"]);
                log.WriteLine(string.Join('\n', lines[^4..]));
            }
            return string.Join('\n', lines);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> Handler(Dictionary<string, string> environment, string handler) =>
        new(environment) { ["_HANDLER"] = handler };

    public static string WriteSchema(string work, int size)
    {
        var directory = Directory.CreateDirectory(Path.Combine(work, $"schema_{size}")).FullName;
        SyntheticSchema.WriteTo(directory, size);
        return directory;
    }

    private static void CopySql(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*.sql")) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    private static async Task<double> TimeAsync(Func<Task> body)
    {
        var watch = Stopwatch.StartNew();
        await body();
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Runs the CLI as a whole process; exit 0 (or 2, validate's "changes pending") is required.</summary>
    private static async Task<double> TimeAsync(string cli, string[] args, string cache)
    {
        var info = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["KNOWITALL_CACHE_DIR"] = cache;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var drain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await drain;
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (process.ExitCode is not (0 or 2))
            throw new InvalidOperationException($"knowitall {string.Join(' ', args.Take(2))} exited with {process.ExitCode}: {await errors}");
        return elapsed;
    }

    private static string Median(IEnumerable<double> values)
    {
        var timing = new Timing("", values.ToList());
        return $"{timing.Median:N0} ms ({timing.Spread})";
    }

    private static string Ratio(IEnumerable<double> ratios)
    {
        var list = ratios.Order().ToList();
        if (list.Count == 0) return "–";
        var median = list.Count % 2 == 1 ? list[list.Count / 2] : (list[list.Count / 2 - 1] + list[list.Count / 2]) / 2;
        return list.Count == 1 ? $"{median:0.00}× (one run)" : $"{median:0.00}× ({list[0]:0.00}–{list[^1]:0.00})";
    }
}
