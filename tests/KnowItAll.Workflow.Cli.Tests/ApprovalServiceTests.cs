using System.Text.Json.Nodes;
using KnowItAll.Workflow.Cli.Workflow;

namespace KnowItAll.Workflow.Cli.Tests;

/// <summary>
/// Plan approval end to end, as the pipeline drives it: <c>workflow serve --require-approval</c> on a real PostgreSQL,
/// executions started and watched with the AWS CLI, decided with <c>knowitall workflow approve | reject</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ApprovalServiceTests(PostgresFixture pg)
{
    private static readonly string Arn = WorkflowService.StateMachineArn;

    static ApprovalServiceTests()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "testing");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "testing");
    }

    private static Task<(int Exit, string Output)> Aws(string endpoint, params string[] args) =>
        WorkflowServiceTests.ProcessAsync("aws", ["stepfunctions", .. args, "--endpoint-url", endpoint, "--output", "json"]);

    private static async Task<string> StartAsync(string endpoint, string name, string input)
    {
        var (exit, output) = await Aws(endpoint, "start-execution", "--state-machine-arn", Arn, "--name", name, "--input", input);
        Assert.True(exit == 0, output);
        return JsonNode.Parse(output)!["executionArn"]!.GetValue<string>();
    }

    private static async Task<JsonArray> HistoryAsync(string endpoint, string execution)
    {
        var (exit, output) = await Aws(endpoint, "get-execution-history", "--execution-arn", execution);
        Assert.True(exit == 0, output);
        return JsonNode.Parse(output)!["events"]!.AsArray();
    }

    /// <summary>Polls until the approval request is out (TaskSubmitted) or the execution ended.</summary>
    private static async Task<JsonArray> WaitingAsync(string endpoint, string execution)
    {
        for (var i = 0; i < 600; i++)
        {
            var events = await HistoryAsync(endpoint, execution);
            if (events.Any(e => e!["type"]!.GetValue<string>() is "TaskSubmitted" or "ExecutionSucceeded" or "ExecutionFailed")) return events;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{execution} never reached the approval request");
    }

    private static async Task<JsonObject> EndedAsync(string endpoint, string execution)
    {
        for (var i = 0; i < 600; i++)
        {
            var (_, output) = await Aws(endpoint, "describe-execution", "--execution-arn", execution);
            var described = JsonNode.Parse(output)!.AsObject();
            if (described["status"]!.GetValue<string>() != "RUNNING") return described;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{execution} did not end");
    }

    private static async Task<(int Exit, string Output, string Error)> CliAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await KnowItAllCli.RunAsync(args, stdout, stderr, new StringReader(""));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static Task<long> TablesAsync(string db) =>
        PostgresFixture.ScalarAsync<long>(db,
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'knowitall_migration_history'");

    private static string Token(JsonArray events) => JsonNode.Parse(events.Single(e => e!["type"]!.GetValue<string>() == "TaskScheduled")!
        ["taskScheduledEventDetails"]!["parameters"]!.GetValue<string>())!["Payload"]!["approval"]!["task_token"]!.GetValue<string>();

    [Fact]
    public async Task An_apply_waits_after_plan_untouched_and_approve_applies_exactly_that_plan()
    {
        var db = await pg.NewDatabaseAsync();
        await using var served = await WorkflowServiceTests.ServeAsync(db, "--require-approval");
        var execution = await StartAsync(served.Endpoint, "approve-1", """{"action":"apply"}""");

        var events = await WaitingAsync(served.Endpoint, execution);
        await Task.Delay(500);
        Assert.Equal("RUNNING", JsonNode.Parse((await Aws(served.Endpoint, "describe-execution", "--execution-arn", execution))
            .Output)!["status"]!.GetValue<string>());
        Assert.Equal(0, await TablesAsync(db));
        var entered = events.Where(e => e!["type"]!.GetValue<string>().EndsWith("StateEntered", StringComparison.Ordinal))
            .Select(e => e!["stateEnteredEventDetails"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal("Request Approval", entered[^1]);
        Assert.DoesNotContain("Apply Migration", entered);

        var (exit, output, error) = await CliAsync("workflow", "approve", "approve-1", "--endpoint-url", served.Endpoint, "--yes");
        Assert.True(exit == 0, output + error);
        var planned = JsonNode.Parse(events.Last(e => e!["type"]!.GetValue<string>() == "LambdaFunctionSucceeded")!
            ["lambdaFunctionSucceededEventDetails"]!["output"]!.GetValue<string>())!;
        var hash = planned["plan_hash"]!.GetValue<string>();
        Assert.True(output.Contains($"plan hash:   {hash}"), output);
        Assert.Contains("environment: local", output);
        Assert.Matches(@"Plan [0-9a-f]{12}: \d+ statements", output);
        Assert.Contains($"approved plan {hash}", output);
        Assert.DoesNotContain(Token(events), output + error);

        var ended = await EndedAsync(served.Endpoint, execution);
        Assert.Equal("SUCCEEDED", ended["status"]!.GetValue<string>());
        var result = JsonNode.Parse(ended["output"]!.GetValue<string>())!;
        Assert.Equal("APPLIED", result["outcome"]!.GetValue<string>());
        Assert.Equal(hash, result["approval"]!["plan_hash"]!.GetValue<string>());
        Assert.Equal(hash, result["apply"]!["plan_hash"]!.GetValue<string>());
        Assert.Equal(4, await TablesAsync(db));

        // The token is closed: a second answer is TaskTimedOut, a made-up one InvalidToken, as AWS answers them.
        var (again, againOutput) = await Aws(served.Endpoint, "send-task-success", "--task-token", Token(events), "--task-output", "{}");
        Assert.NotEqual(0, again);
        Assert.Contains("TaskTimedOut", againOutput);
        var (made, madeOutput) = await Aws(served.Endpoint, "send-task-failure", "--task-token", "made-up", "--error", "X");
        Assert.NotEqual(0, made);
        Assert.Contains("InvalidToken", madeOutput);
        var (late, lateOutput, lateError) = await CliAsync("workflow", "approve", execution, "--endpoint-url", served.Endpoint, "--yes");
        Assert.Equal(WorkflowService.ExitFailed, late);
        Assert.Contains("is SUCCEEDED: there is nothing to approve", lateOutput + lateError);
    }

    [Fact]
    public async Task Reject_fails_the_execution_naming_the_rejection_and_applies_nothing()
    {
        var db = await pg.NewDatabaseAsync();
        await using var served = await WorkflowServiceTests.ServeAsync(db, "--require-approval");
        var execution = await StartAsync(served.Endpoint, "reject-1", """{"action":"apply"}""");
        await WaitingAsync(served.Endpoint, execution);

        var (exit, output, error) = await CliAsync("workflow", "reject", execution, "--reason", "index must be built concurrently", "--endpoint-url",
            served.Endpoint);
        Assert.True(exit == 0, output + error);
        Assert.Contains("rejected plan", output);

        var ended = await EndedAsync(served.Endpoint, execution);
        Assert.Equal("FAILED", ended["status"]!.GetValue<string>());
        Assert.Equal("Migration.Rejected", ended["error"]!.GetValue<string>());
        Assert.Contains("index must be built concurrently", ended["cause"]!.GetValue<string>());
        Assert.Equal(0, await TablesAsync(db));
        var history = await HistoryAsync(served.Endpoint, execution);
        Assert.Contains(history, e => e!["stateEnteredEventDetails"]?["name"]?.GetValue<string>() == "Notify Failure");
    }

    [Fact]
    public async Task Approving_a_plan_the_database_moved_away_from_fails_and_applies_nothing()
    {
        var db = await pg.NewDatabaseAsync();
        await using var served = await WorkflowServiceTests.ServeAsync(db, "--require-approval");
        var execution = await StartAsync(served.Endpoint, "moved-1", """{"action":"apply"}""");
        await WaitingAsync(served.Endpoint, execution);
        // Someone creates part of the schema by hand while the plan waits: the plan Apply would make now is another one.
        foreach (var file in new[] { "00_extensions.sql", "10_users.sql" })
            await PostgresFixture.ExecuteAsync(db, await File.ReadAllTextAsync(Path.Combine(Repo.SchemaDirectory, file)));

        var (exit, output, error) = await CliAsync("workflow", "approve", execution, "--endpoint-url", served.Endpoint, "--yes");
        Assert.True(exit == 0, output + error);

        var ended = await EndedAsync(served.Endpoint, execution);
        Assert.Equal("FAILED", ended["status"]!.GetValue<string>());
        Assert.Equal("Migration.PlanStale", ended["error"]!.GetValue<string>());
        Assert.Contains("the database changed since the plan was made", ended["cause"]!.GetValue<string>());
        Assert.Equal(1, await TablesAsync(db));
    }

    [Fact]
    public async Task A_dry_run_never_waits_and_the_pipeline_script_reports_the_wait()
    {
        var db = await pg.NewDatabaseAsync();
        await using var served = await WorkflowServiceTests.ServeAsync(db, "--require-approval");
        var dry = await StartAsync(served.Endpoint, "dry-1", """{"action":"apply","dry_run":true}""");
        var ended = await EndedAsync(served.Endpoint, dry);
        Assert.Equal("SUCCEEDED", ended["status"]!.GetValue<string>());
        Assert.Equal("DRY_RUN", JsonNode.Parse(ended["output"]!.GetValue<string>())!["outcome"]!.GetValue<string>());
        Assert.DoesNotContain(await HistoryAsync(served.Endpoint, dry), e => e!["type"]!.GetValue<string>() == "TaskScheduled");

        // The pipeline's script: it says which plan waits, and gives up after its own timeout while the execution keeps waiting.
        var (exit, output) = await WorkflowServiceTests.ScriptAsync("--state-machine-arn", Arn, "--endpoint-url", served.Endpoint, "--build-id",
            "b-approval",
            "--interval", "1", "--timeout", "4");
        Assert.Equal(3, exit);
        Assert.Matches(@"waiting for approval of plan [0-9a-f]{64}: knowitall workflow approve arn:aws:states:", output);
        Assert.Contains("still waiting for approval of plan", output);
        var waiting = System.Text.RegularExpressions.Regex.Match(output, @"approve (arn:aws:states:\S+:execution:\S+)").Groups[1].Value;

        var script = WorkflowServiceTests.ScriptAsync("--state-machine-arn", Arn, "--endpoint-url", served.Endpoint, "--build-id", "b-approval",
            "--interval", "1");
        await Task.Delay(1500);
        var (approved, approvedOutput, approvedError) = await CliAsync("workflow", "approve", waiting, "--endpoint-url", served.Endpoint, "--yes");
        Assert.True(approved == 0, approvedOutput + approvedError);
        var (finished, finishedOutput) = await script;
        Assert.True(finished == 0, finishedOutput);
        // The same build, name and input while it waits: StartExecution hands back the waiting execution, no second migration.
        Assert.Contains($"started {waiting}", finishedOutput);
        Assert.Contains("status: SUCCEEDED", finishedOutput);
        Assert.Contains("outcome: APPLIED", finishedOutput);
    }

    [Fact]
    public async Task Approve_asks_first_and_a_no_sends_nothing()
    {
        var db = await pg.NewDatabaseAsync();
        await using var served = await WorkflowServiceTests.ServeAsync(db, "--require-approval");
        var execution = await StartAsync(served.Endpoint, "ask-1", """{"action":"apply"}""");
        var token = Token(await WaitingAsync(served.Endpoint, execution));
        var stdout = new StringWriter();

        var exit = await KnowItAllCli.RunAsync(["workflow", "approve", execution, "--endpoint-url", served.Endpoint], stdout, new StringWriter(),
            new StringReader("n\n"));

        Assert.Equal(ApprovalCommands.ExitNotApproved, exit);
        Assert.Contains("[y/N]", stdout.ToString());
        Assert.Contains("not approved: nothing sent", stdout.ToString());
        Assert.Equal("RUNNING", JsonNode.Parse((await Aws(served.Endpoint, "describe-execution", "--execution-arn", execution))
            .Output)!["status"]!.GetValue<string>());
        Assert.Equal(0, await TablesAsync(db));

        // The open task takes a heartbeat; a well-formed token this endpoint never issued does not exist.
        var (beat, beatOutput) = await Aws(served.Endpoint, "send-task-heartbeat", "--task-token", token);
        Assert.True(beat == 0, beatOutput);
        var stranger = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(66));
        var (unknown, unknownOutput) = await Aws(served.Endpoint, "send-task-success", "--task-token", stranger, "--task-output", "{}");
        Assert.NotEqual(0, unknown);
        Assert.Contains("TaskDoesNotExist", unknownOutput);
        var (badOutput, badOutputText) = await Aws(served.Endpoint, "send-task-success", "--task-token", token, "--task-output", "{not json");
        Assert.NotEqual(0, badOutput);
        Assert.Contains("InvalidOutput", badOutputText);
        Assert.Equal("RUNNING", JsonNode.Parse((await Aws(served.Endpoint, "describe-execution", "--execution-arn", execution))
            .Output)!["status"]!.GetValue<string>());
    }
}
