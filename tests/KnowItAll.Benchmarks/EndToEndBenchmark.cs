using KnowItAll.Migrations.Embedded;
using KnowItAll.Workflow.Cli;

namespace KnowItAll.Benchmarks;

/// <summary>knowitall workflow run on a warm PostgreSQL: a fresh apply of the tutor schema, and a run with nothing to do.</summary>
public static class EndToEndBenchmark
{
    public static async Task<string> RunAsync(EmbeddedPostgres server, string schemaDirectory, int runs, TextWriter log)
    {
        var counter = 0;
        var fresh = await Timing.RunAsync("fresh", runs, async () =>
        {
            var db = await server.CreateDatabaseAsync($"e2e_fresh_{counter++}");
            await RunWorkflowAsync(db, schemaDirectory);
        });
        var migrated = await server.CreateDatabaseAsync("e2e_migrated");
        await RunWorkflowAsync(migrated, schemaDirectory);
        var noChanges = await Timing.RunAsync("no changes", runs, () => RunWorkflowAsync(migrated, schemaDirectory));
        var lines = new List<string>
        {
            "| run | median | spread |",
            "|---|---:|---:|",
            $"| fresh apply of the tutor schema (validate, plan, apply, verify, notify) | {fresh.Median:N0} ms | {fresh.Spread} ms |",
            $"| already migrated (validate, notify: no changes) | {noChanges.Median:N0} ms | {noChanges.Spread} ms |",
        };
        log.WriteLine(string.Join('\n', lines));
        return string.Join('\n', lines);
    }

    private static async Task RunWorkflowAsync(string db, string schemaDirectory)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await KnowItAllCli.RunAsync(["workflow", "run", "--json", "--connection", db, "--schema", schemaDirectory], output, errors);
        if (exit != 0) throw new InvalidOperationException("workflow run failed: " + errors);
    }
}
