using System.Text;
using System.Text.Json.Nodes;

namespace KnowItAll.Workflow.Cli.Tests;

/// <summary>
/// The execution's size does not grow with the schema: 1,000 tables (12–20 columns, identity key, foreign key,
/// check, two indexes and a grant each) through the real definition on a real PostgreSQL, with AWS's quotas as
/// the measure: every state input and output under 256 KiB, the final output under 32 KiB, and the full plan
/// still retrievable from the report store.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ScaleTests(PostgresFixture pg)
{
    private const int Tables = 1000;
    private const int StateLimit = 262_144;
    private const int FinalOutputBudget = 32 * 1024;

    [Fact]
    public async Task A_thousand_tables_apply_dry_run_and_no_change_stay_within_the_state_budget()
    {
        using var schema = new TempSchema();
        SyntheticSchema.WriteTo(schema.Path, Tables);
        using var reports = new TempReports();
        var db = await pg.NewDatabaseAsync();

        var (dryExit, dry) = await RunAsync(db, schema.Path, reports.Path, "--action", "apply", "--dry-run");
        Assert.Equal(0, dryExit);
        Assert.Equal("DRY_RUN", dry["output"]!["outcome"]!.GetValue<string>());
        var planned = dry["output"]!["plan"]!["statement_count"]!.GetValue<int>();
        Assert.True(planned >= 3 * Tables, $"{planned} statements planned");
        AssertBounded(dry);

        var (applyExit, applied) = await RunAsync(db, schema.Path, reports.Path, "--action", "apply");
        Assert.True(applyExit == 0, applied["error"] + ": " + applied["cause"]);
        Assert.Equal("APPLIED", applied["output"]!["outcome"]!.GetValue<string>());
        Assert.Equal(Tables, applied["output"]!["apply"]!["changes"]!["table"]!.GetValue<int>());
        Assert.True(applied["output"]!["verify_permissions"]!["success"]!.GetValue<bool>());
        Assert.Equal(Tables,
            await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't0%'"));
        AssertBounded(applied);

        var (againExit, again) = await RunAsync(db, schema.Path, reports.Path, "--action", "apply");
        Assert.Equal(0, againExit);
        Assert.Equal("NO_CHANGES", again["output"]!["outcome"]!.GetValue<string>());
        AssertBounded(again);

        // The whole plan, every statement with its SQL, from the report store by execution name.
        var stdout = new StringWriter();
        var exit = await KnowItAllCli.RunAsync(["report", applied["name"]!.GetValue<string>(), "--json", "--report-dir", reports.Path], stdout,
            new StringWriter());
        Assert.Equal(0, exit);
        var report = JsonNode.Parse(stdout.ToString())!;
        var statements = report["plan"]!["result"]!["statements"]!.AsArray();
        Assert.Equal(applied["output"]!["plan"]!["statement_count"]!.GetValue<int>(), statements.Count);
        Assert.Equal(Tables, statements.Count(s => s!["kind"]!.GetValue<string>() == "table"));
        Assert.Contains(statements, s => s!["sql"]!.GetValue<string>().Contains("CREATE TABLE", StringComparison.Ordinal)
            && s["sql"]!.GetValue<string>().Contains("t00999", StringComparison.Ordinal));
    }

    private async Task<(int Exit, JsonObject Execution)> RunAsync(string db, string schema, string reports, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await KnowItAllCli.RunAsync(["workflow", "run", "--json", "--connection", db, "--schema", schema, "--report-dir", reports,
            .. args], stdout, stderr);
        Assert.DoesNotContain(pg.Password, stdout + "\n" + stderr);
        return (exit, JsonNode.Parse(stdout.ToString())!.AsObject());
    }

    private static void AssertBounded(JsonObject execution)
    {
        var largest = 0;
        foreach (var e in execution["history"]!.AsArray())
            foreach (var field in new[] { "input", "output" })
                if (e!["details"]![field] is JsonValue v)
                {
                    var bytes = Encoding.UTF8.GetByteCount(v.GetValue<string>());
                    Assert.True(bytes < StateLimit, $"{e["type"]} of {e["state"]}: {field} is {bytes:N0} bytes");
                    largest = Math.Max(largest, bytes);
                }
        var output = Encoding.UTF8.GetByteCount(execution["output"]!.ToJsonString());
        Assert.True(output < FinalOutputBudget, $"the final output is {output:N0} bytes");
        Assert.True(largest < FinalOutputBudget, $"the largest state is {largest:N0} bytes");
    }
}
