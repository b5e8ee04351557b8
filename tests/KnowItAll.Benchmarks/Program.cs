using KnowItAll.Benchmarks;
using KnowItAll.Migrations.Embedded;

// knowitall-bench [scale|online|coldstart|e2e|coldpath|states|all] [--sizes 100,1000,5000] [--runs 3] [--rows 1000000] [--writers 4]
//   coldstart and coldpath need the Native AOT bootstrap: --bootstrap PATH (default functions/KnowItAll.Workflow.Functions/bin/aot/bootstrap)
//   coldpath runs the built CLI as processes: --cli PATH (default functions/KnowItAll.Workflow.Cli/bin/Release/net10.0/knowitall);
//   --e2e-size N (default 5000, 0 for none) is the schema size of its workflow run
// knowitall-bench write-schema --sizes 1000 --out DIR: only write the synthetic schemas as schema directories
// knowitall-bench corpus [--dir tests/corpus] [--filter TEXT] [--out FILE.json] [--parallel 3]: the change corpus, case by case
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
if (what == "write-schema")
{
    // The synthetic schemas as directories (--out DIR), for timing the CLI by hand against a server of one's own.
    foreach (var size in sizes) Console.WriteLine(ColdPathBenchmark.WriteSchema(Arg("--out", "bench-schemas"), size));
    return 0;
}
if (what == "corpus")
{
    await using var corpusServer = await EmbeddedPostgres.StartAsync();
    var corpusDir = Arg("--dir", KnowItAll.Testing.ChangeCorpus.DefaultDirectory);
    var filter = Arg("--filter", "");
    var output = Arg("--out", "");
    return await CorpusBenchmark.RunAsync(corpusServer, corpusDir, filter.Length > 0 ? filter : null, output.Length > 0 ? output : null,
        int.Parse(Arg("--parallel", "3")), Console.Error);
}
if (what is not ("scale" or "online" or "coldstart" or "e2e" or "coldpath" or "states" or "all"))
{
    Console.Error.WriteLine($"unknown benchmark '{what}': use scale, online, coldstart, e2e, coldpath, states, corpus or all");
    return 1;
}

Console.Error.WriteLine(
    $"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, " +
    $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
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
var native = Arg("--bootstrap", Path.Combine(root, "functions", "KnowItAll.Workflow.Functions", "bin", "aot", "bootstrap"));
if (what is "coldpath" or "all")
{
    var cli = Arg("--cli", Path.Combine(root, "functions", "KnowItAll.Workflow.Cli", "bin", "Release", "net10.0", "knowitall"));
    if (!File.Exists(native) || !File.Exists(cli))
    {
        Console.Error.WriteLine(
            $"coldpath needs the Native AOT bootstrap ({native}: bash tests/run.d/10-bootstrap.sh) and the built CLI ({cli}: dotnet build -c " +
            "Release)");
        return 1;
    }
    Console.WriteLine("## Cold path: compiled desired model, whole processes beside pg_dump --schema-only");
    Console.WriteLine();
    Console.WriteLine(await ColdPathBenchmark.RunAsync(server, sizes, runs, cli, native, int.Parse(Arg("--e2e-size", "5000")), Console.Error));
    Console.WriteLine();
}
if (what is "coldstart" or "all")
{
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
