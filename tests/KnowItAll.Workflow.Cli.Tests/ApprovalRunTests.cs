using System.Text.Json.Nodes;

namespace KnowItAll.Workflow.Cli.Tests;

/// <summary><c>knowitall workflow run --require-approval</c>: the plan is shown and the terminal decides.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ApprovalRunTests(PostgresFixture pg)
{
    private static async Task<(int Exit, JsonObject Execution, string Asked)> RunAsync(string answers, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await KnowItAllCli.RunAsync(["workflow", "run", "--json", "--require-approval", .. args], stdout, stderr,
            new StringReader(answers));
        return (exit, JsonNode.Parse(stdout.ToString())!.AsObject(), stderr.ToString());
    }

    private static Task<long> TablesAsync(string db) =>
        PostgresFixture.ScalarAsync<long>(db,
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'knowitall_migration_history'");

    [Fact]
    public async Task Yes_on_the_terminal_applies_the_plan_it_was_shown()
    {
        var db = await pg.NewDatabaseAsync();

        var (exit, execution, asked) = await RunAsync("y\n", "--connection", db, "--action", "apply");

        Assert.Equal(0, exit);
        var output = execution["output"]!;
        Assert.Equal("APPLIED", output["outcome"]!.GetValue<string>());
        var hash = output["plan"]!["plan_hash"]!.GetValue<string>();
        Assert.Contains($"plan hash:   {hash}", asked);
        Assert.Contains($"Apply plan {hash} to local? [y/N]", asked);
        Assert.Equal(hash, output["approval"]!["plan_hash"]!.GetValue<string>());
        Assert.Equal(4, await TablesAsync(db));
    }

    [Fact]
    public async Task No_answer_rejects_and_a_dry_run_never_asks()
    {
        var db = await pg.NewDatabaseAsync();

        var (exit, execution, asked) = await RunAsync("", "--connection", db, "--action", "apply");
        Assert.Equal(1, exit);
        Assert.Equal("Migration.Rejected", execution["error"]!.GetValue<string>());
        Assert.Contains("no answer on the terminal", execution["cause"]!.GetValue<string>());
        Assert.Contains("[y/N]", asked);
        Assert.Equal(0, await TablesAsync(db));

        var (dryExit, dry, dryAsked) = await RunAsync("", "--connection", db, "--action", "apply", "--dry-run");
        Assert.Equal(0, dryExit);
        Assert.Equal("DRY_RUN", dry["output"]!["outcome"]!.GetValue<string>());
        Assert.DoesNotContain("[y/N]", dryAsked);
    }

    [Theory]
    [InlineData("ApprovalGranted", "SUCCEEDED", null)]
    [InlineData("ApprovalRejected", "FAILED", "Migration.Rejected")]
    [InlineData("ApprovalTimedOut", "FAILED", "Migration.ApprovalTimedOut")]
    public async Task The_approval_mock_cases_run_without_a_database(string testCase, string status, string? error)
    {
        var mocks = Path.Combine(Repo.Root, "statemachine", "mocks", "approval.mock.json");

        var (_, execution, asked) = await RunAsync("", "--mock-config", mocks, "--test-case", testCase, "--action", "apply");

        Assert.Equal(status, execution["status"]!.GetValue<string>());
        Assert.Equal(error, execution["error"]?.GetValue<string>());
        Assert.DoesNotContain("[y/N]", asked);
    }
}
