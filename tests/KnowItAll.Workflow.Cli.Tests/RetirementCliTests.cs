using System.Text.Json.Nodes;
using KnowItAll.Migrations;

namespace KnowItAll.Workflow.Cli.Tests;

/// <summary>
/// Declared removals through the CLI and the workflow on the tutor schema with rows: refused without the opt-in,
/// naming the column and the values it deletes; applied with <c>--allow-hazards DELETES_DATA</c>; and under
/// <c>workflow run --require-approval</c> the deleting statement is shown first and the approval applies exactly it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RetirementCliTests(PostgresFixture pg)
{
    private const string Retire = "ALTER TABLE users DROP COLUMN last_login_at;";
    private const string LastLogin =
        "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'last_login_at' AND NOT attisdropped";
    private const string Users = "SELECT md5(string_agg(id::text || email || display_name, ',' ORDER BY id)) FROM users";

    private async Task<string> TutorWithRowsAsync()
    {
        var db = await pg.NewDatabaseAsync();
        await Engines.For(db, Repo.TutorSchema()).ApplyAsync(new ApplyRequest());
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows +
            "UPDATE users SET last_login_at = now() WHERE id IN (SELECT id FROM users ORDER BY email LIMIT 137);");
        return db;
    }

    [Fact]
    public async Task Apply_refuses_a_declared_drop_column_without_the_opt_in_and_drops_it_with_allow_hazards()
    {
        var db = await TutorWithRowsAsync();
        var users = await PostgresFixture.ScalarAsync<string>(db, Users);
        using var schema = TempSchema.TutorWith("95_retire.sql", Retire);

        var bogus = await CliTests.RunAsync("plan", "--allow-hazards", "DELETES_EVERYTHING", "--connection", db, "--schema", schema.Path);
        Assert.Equal(ExitCodes.Failure, bogus.Exit);
        Assert.Contains("Migration.InvalidInput", bogus.Err);
        Assert.Contains("'DELETES_EVERYTHING' is not a hazard code", bogus.Err);
        var notOptIn = await CliTests.RunAsync("plan", "--allow-hazards", "INDEX_BUILD", "--connection", db, "--schema", schema.Path);
        Assert.Equal(ExitCodes.Failure, notOptIn.Exit);
        Assert.Contains("INDEX_BUILD is not a hazard a run can allow", notOptIn.Err);

        var plan = await CliTests.RunAsync("plan", "--connection", db, "--schema", schema.Path);
        Assert.Equal(ExitCodes.Success, plan.Exit);
        var firstHazard = plan.Out.IndexOf("DELETES_DATA statement", StringComparison.Ordinal);
        Assert.True(firstHazard >= 0 && firstHazard < plan.Out.IndexOf('│'), plan.Out);
        // Spectre wraps long lines at the terminal width; the words stay in order.
        Assert.Contains("deleting 137 non-null values", System.Text.RegularExpressions.Regex.Replace(plan.Out, @"\s+", " "));
        var json = JsonNode.Parse((await CliTests.RunAsync("plan", "--json", "--connection", db, "--schema", schema.Path)).Out)!;
        var hazard = json["statements"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "drop")!["hazards"]![0]!;
        Assert.Equal("DELETES_DATA", hazard["code"]!.GetValue<string>());
        Assert.Equal(137, hazard["amount"]!.GetValue<long>());
        Assert.Equal("DELETES_DATA", json["blocking"]![0]!["code"]!.GetValue<string>());

        var refused = await CliTests.RunAsync("apply", "--connection", db, "--schema", schema.Path);
        Assert.Equal(ExitCodes.Failure, refused.Exit);
        Assert.Contains("Migration.UnsafeChange", refused.Err);
        Assert.Contains("users.last_login_at", refused.Err);
        Assert.Contains("137 non-null values", refused.Err);
        Assert.Equal(1, await PostgresFixture.ScalarAsync<long>(db, LastLogin));

        var applied = await CliTests.RunAsync("apply", "--allow-hazards", "DELETES_DATA", "--connection", db, "--schema", schema.Path);
        Assert.Equal(ExitCodes.Success, applied.Exit);
        Assert.Equal(0, await PostgresFixture.ScalarAsync<long>(db, LastLogin));
        Assert.Equal(users, await PostgresFixture.ScalarAsync<string>(db, Users));
        var history = await CliTests.RunAsync("history", "--connection", db, "--schema", schema.Path);
        Assert.Contains("deleted data: 137 rows and values", history.Out);
    }

    [Fact]
    public async Task Workflow_run_refuses_without_the_opt_in_and_allow_hazards_applies()
    {
        var db = await TutorWithRowsAsync();
        using var schema = TempSchema.TutorWith("95_retire.sql", Retire);

        var (exit, execution) = await RunWorkflowAsync("", "--connection", db, "--schema", schema.Path, "--action", "apply");
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Equal("Migration.UnsafeChange", execution["error"]!.GetValue<string>());
        Assert.Contains("DELETES_DATA: statement", execution["cause"]!.GetValue<string>());
        Assert.Contains("users.last_login_at", execution["cause"]!.GetValue<string>());
        Assert.Contains("137 non-null values", execution["cause"]!.GetValue<string>());
        Assert.Equal(1, await PostgresFixture.ScalarAsync<long>(db, LastLogin));

        var (allowedExit, allowed) = await RunWorkflowAsync("", "--allow-hazards", "DELETES_DATA", "--connection", db, "--schema", schema.Path,
            "--action", "apply");
        Assert.Equal(ExitCodes.Success, allowedExit);
        Assert.Equal("APPLIED", allowed["output"]!["outcome"]!.GetValue<string>());
        Assert.Equal(137, allowed["output"]!["plan"]!["deletions"]![0]!["amount"]!.GetValue<long>());
        Assert.Equal(0, await PostgresFixture.ScalarAsync<long>(db, LastLogin));
    }

    [Fact]
    public async Task Workflow_run_with_approval_shows_the_deleting_statement_first_and_the_approval_applies_exactly_it()
    {
        var db = await TutorWithRowsAsync();
        var users = await PostgresFixture.ScalarAsync<string>(db, Users);
        using var schema = TempSchema.TutorWith("95_retire.sql", Retire);

        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await KnowItAllCli.RunAsync(["workflow", "run", "--json", "--require-approval", "--connection", db, "--schema", schema.Path,
            "--action", "apply"],
            stdout, stderr, new StringReader("y\n"));
        var asked = stderr.ToString();

        Assert.Equal(0, exit);
        var output = JsonNode.Parse(stdout.ToString())!["output"]!;
        Assert.Equal("APPLIED", output["outcome"]!.GetValue<string>());
        var deletes = asked.IndexOf("APPROVING THIS PLAN DELETES DATA", StringComparison.Ordinal);
        Assert.True(deletes > 0, asked);
        Assert.True(deletes < asked.IndexOf("  Plan ", StringComparison.Ordinal), asked);
        Assert.Contains("deleting 137 non-null values", asked);
        var hash = output["plan"]!["plan_hash"]!.GetValue<string>();
        Assert.Equal(hash, output["approval"]!["plan_hash"]!.GetValue<string>());
        Assert.Equal(hash, output["apply"]!["plan_hash"]!.GetValue<string>());
        Assert.Equal(1, output["apply"]!["statements_executed"]!.GetValue<int>());
        Assert.Equal(0, await PostgresFixture.ScalarAsync<long>(db, LastLogin));
        Assert.Equal(users, await PostgresFixture.ScalarAsync<string>(db, Users));
    }

    private static async Task<(int Exit, JsonObject Execution)> RunWorkflowAsync(string answers, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await KnowItAllCli.RunAsync(["workflow", "run", "--json", .. args], stdout, stderr, new StringReader(answers));
        return (exit, JsonNode.Parse(stdout.ToString())!.AsObject());
    }
}
