using KnowItAll.Benchmarks;
using KnowItAll.Migrations.Embedded;

// knowitall-bench [scale|online|coldstart|e2e|states|all] [--sizes 100,1000,5000] [--runs 3] [--rows 1000000] [--writers 4]
//   coldstart needs the Native AOT bootstrap: --bootstrap PATH (default functions/KnowItAll.Workflow.Functions/bin/aot/bootstrap)
var what = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var sizes = Arg("--sizes", "100,1000,5000").Split(',').Select(int.Parse).ToList();
var runs = int.Parse(Arg("--runs", "3"));
var rows = int.Parse(Arg("--rows", "1000000"));
var writers = int.Parse(Arg("--writers", "4"));
if (what is not ("scale" or "online" or "coldstart" or "e2e" or "states" or "all"))
{
    Console.Error.WriteLine($"unknown benchmark '{what}': use scale, online, coldstart, e2e, states or all");
    return 1;
}

Console.Error.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
await using var server = await EmbeddedPostgres.StartAsync();
if (what is "scale" or "all")
{
    Console.WriteLine("## Scale: validate+plan vs pg_dump --schema-only vs a per-object check loop");
    Console.WriteLine();
    Console.WriteLine(await ScaleBenchmark.RunAsync(server, sizes, runs, Console.Error));
    Console.WriteLine();
}
if (what is "states" or "all")
{
    Console.WriteLine("## Execution size: the state, the output and the notification at N tables");
    Console.WriteLine();
    Console.WriteLine(await StateSizeBenchmark.RunAsync(server, sizes, Console.Error));
    Console.WriteLine();
}
if (what is "online" or "all")
{
    Console.WriteLine("## Online safety: writes during the change");
    Console.WriteLine();
    Console.WriteLine(await OnlineBenchmark.RunAsync(server, rows, writers, TimeSpan.FromSeconds(2), Console.Error));
    Console.WriteLine();
}
var root = Path.GetDirectoryName(KnowItAll.Workflow.Cli.EngineOptions.DefaultSchemaDirectory())!;
var schema = Path.Combine(root, "schema");
if (what is "coldstart" or "all")
{
    var native = Arg("--bootstrap", Path.Combine(root, "functions", "KnowItAll.Workflow.Functions", "bin", "aot", "bootstrap"));
    var jit = Path.Combine(AppContext.BaseDirectory, "bootstrap.dll");
    if (!File.Exists(native))
    {
        Console.Error.WriteLine($"no Native AOT bootstrap at {native}: publish it first (bash tests/run.d/10-bootstrap.sh from the repository root)");
        return 1;
    }
    Console.WriteLine("## Cold start: process start to first invocation answered");
    Console.WriteLine();
    Console.WriteLine(await ColdStartBenchmark.RunAsync(server, native, jit, schema, Math.Max(runs, 5), Console.Error));
    Console.WriteLine();
}
if (what is "e2e" or "all")
{
    Console.WriteLine("## End to end: knowitall workflow run on a warm PostgreSQL");
    Console.WriteLine();
    Console.WriteLine(await EndToEndBenchmark.RunAsync(server, schema, Math.Max(runs, 5), Console.Error));
    Console.WriteLine();
}
return 0;
