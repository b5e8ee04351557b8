using System.Text.Json.Nodes;
using Moq;

namespace KnowItAll.StateMachine.Tests;

/// <summary>Every path of statemachine/migration.asl.json, through the committed mock config, without a database.</summary>
public sealed class MigrationDefinitionTests
{
    private static readonly string Root = Machines.Repo();
    private static readonly string[] Functions = ["Validate", "Plan", "Apply", "VerifyPermissions", "Notify"];

    private static StateMachineDefinition Definition() => StateMachineDefinition.Load(
        File.ReadAllText(Path.Combine(Root, "statemachine", "migration.asl.json")),
        Functions.ToDictionary(f => f + "FunctionArn", f => $"arn:aws:lambda:us-east-1:123456789012:function:knowitall-test-{f}")
        .Append(new("Environment", "test"))
            .Append(new("RequireApproval", "false")).Append(new("ApprovalTimeoutSeconds", "86400"))
            .ToDictionary(p => p.Key, p => p.Value));

    private static async Task<(ExecutionResult Result, List<string> Visited, Mock<ITaskInvoker> Invoker)> RunAsync(string testCase, string input)
    {
        var invoker = new Mock<ITaskInvoker>(MockBehavior.Strict);
        var executor = new StateMachineExecutor(Definition(), invoker.Object, new ExecutorOptions
        {
            StateMachineName = "knowitall-migration",
            Mocks = MockConfig.Load(File.ReadAllText(Path.Combine(Root, "statemachine", "mocks", "migration.mock.json"))),
            TestCase = testCase,
            Delay = (_, _) => Task.CompletedTask,
        });
        var result = await executor.RunAsync(JsonNode.Parse(input), "case-" + testCase);
        var visited = result.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName!).ToList();
        return (result, visited, invoker);
    }

    [Theory]
    [InlineData("ValidateOnly", """{"action": "validate"}""", "VALIDATED",
        "Validate Schema,Changes Pending?,Validated,Notify Result,Migration Succeeded")]
    [InlineData("NoChanges", """{"action": "apply"}""", "NO_CHANGES",
        "Validate Schema,Changes Pending?,No Changes,Notify Result,Migration Succeeded")]
    [InlineData("DryRun", """{"action": "apply", "dry_run": true}""", "DRY_RUN", "Plan Migration,Dry Run?,Dry Run,Notify Result")]
    [InlineData("PlanOnly", """{"action": "plan"}""", "PLANNED", "Plan Migration,Dry Run?,Planned,Notify Result")]
    [InlineData("PlanFindsNothing", """{"action": "apply"}""", "NO_CHANGES", "Plan Migration,Dry Run?,No Changes,Notify Result")]
    [InlineData("ApplySucceeds", """{"action": "apply"}""", "APPLIED",
        "Apply Migration,Verify Permissions,Permissions Complete?,Applied,Notify Result,Migration Succeeded")]
    [InlineData("ApplyLockTimeoutThenSucceeds", """{"action": "apply", "dry_run": false}""", "APPLIED", "Apply Migration,Verify Permissions,Applied")]
    [InlineData("ThrottledThenSucceeds", """{"action": "apply"}""", "NO_CHANGES", "Validate Schema,No Changes")]
    [InlineData("ApplyForThisPlan", """{"action": "apply", "plan_hash": "480b3621ceaaae7a4d84283246c8477322ee78a8f2c37afed9b2981377b2b155"}""",
        "APPLIED",
        "Plan Migration,Requested Plan?,Plan Blocked?,Apply Migration,Applied")]
    public async Task Successful_paths_end_with_one_output_object(string testCase, string input, string outcome, string states)
    {
        var (result, visited, _) = await RunAsync(testCase, input);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        foreach (var state in states.Split(',')) Assert.Contains(state, visited);
        var output = result.Output!.AsObject();
        Assert.True(output["success"]!.GetValue<bool>());
        Assert.Equal(outcome, output["outcome"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse(input)!["action"]!.GetValue<string>(), output["action"]!.GetValue<string>());
        Assert.NotNull(output["dry_run"]);
        // Each step's result is the function's digest: the mocked Invoke response's Payload, not the response.
        Assert.NotNull(output["validate"]!["schema_valid"]);
        Assert.Null(output["validate"]!["StatusCode"]);
        Assert.NotNull(output["notify"]!["subject"]);
        if (outcome is "APPLIED") Assert.NotNull(output["verify_permissions"]);
        Assert.DoesNotContain("Apply Migration", outcome is "APPLIED" ? [] : visited);
    }

    [Theory]
    [InlineData("PermissionsMissing", "Migration.PermissionsMissing", "The role tutor_app is missing 1 privileges")]
    [InlineData("ValidateFails", "Migration.SchemaError", "syntax error")]
    [InlineData("PlanFails", "Migration.UnsafeChange", "NOT NULL without a default")]
    [InlineData("ApplyFails", "Migration.ApplyFailed", "statement 1 failed")]
    [InlineData("ApplyLockTimeoutExhausted", "Migration.LockTimeout", "could not get the lock")]
    [InlineData("VerifyFails", "Migration.DatabaseUnavailable", "cannot reach the database")]
    [InlineData("NotifyFailsAfterApplyFailure", "Migration.ApplyFailed", "statement 1 failed")]
    public async Task Failing_paths_notify_and_fail_with_the_original_error(string testCase, string error, string cause)
    {
        var (result, visited, _) = await RunAsync(testCase, """{"action": "apply"}""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(error, result.Error);
        Assert.Contains(cause, result.Cause);
        Assert.Contains("Notify Failure", visited);
        Assert.Equal("Migration Failed", visited[^1]);
    }

    [Theory]
    [InlineData("""{"action": "apply"}""")]
    [InlineData("""{"action": "apply", "dry_run": true}""")]
    [InlineData("""{"action": "plan"}""")]
    public async Task A_plan_with_blocking_hazards_fails_even_as_a_dry_run_and_never_passes_as_no_changes(string input)
    {
        var (result, visited, _) = await RunAsync("PlanBlocked", input);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("Migration.UnsafeChange", result.Error);
        Assert.Contains("users.country is NOT NULL without a default", result.Cause);
        Assert.Contains("Unsafe Plan", visited);
        Assert.DoesNotContain("No Changes", visited);
        Assert.DoesNotContain("Apply Migration", visited);
        Assert.Equal("Migration Failed", visited[^1]);
    }

    [Fact]
    public async Task A_300_kb_validate_result_fails_the_execution_with_DataLimitExceeded_after_notifying()
    {
        var (result, visited, _) = await RunAsync("ValidateResultTooLarge", """{"action": "apply"}""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrors.DataLimitExceeded, result.Error);
        Assert.Contains("knowitall-test-Validate' returned a result with a size exceeding", result.Cause);
        var failed = result.History.Single(e => e.Type == "LambdaFunctionFailed");
        Assert.Equal("Validate Schema", failed.StateName);
        Assert.Equal(StatesErrors.DataLimitExceeded, failed.Details["error"]!.GetValue<string>());
        Assert.Equal(["Check Input", "Normalize Input", "Known Fields?", "Validate Schema", "Notify Failure", "Migration Failed"], visited);
        Assert.All(result.History,
            e => Assert.True(e.Details.ToJsonString().Length < 8_192, $"event {e.Id} ({e.Type}) carries the oversized result"));
    }

    [Fact]
    public void Every_test_case_of_the_mock_config_has_an_execution_input()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "statemachine", "mocks", "migration.mock.json")))!;
        var inputs =
            JsonNode.Parse(
                File.ReadAllText(Path.Combine(Root, "statemachine", "mocks", "migration.inputs.json")))!["knowitall-migration"]!.AsObject();
        var cases = config["StateMachines"]!["knowitall-migration"]!["TestCases"]!.AsObject().Select(c => c.Key).ToList();

        Assert.Equal(cases.Order(), inputs.Select(i => i.Key).Order());
        Assert.All(inputs, i => Assert.NotNull(i.Value!["action"]));
    }

    [Fact]
    public async Task A_lock_timeout_is_retried_by_the_state_machine()
    {
        var (result, _, _) = await RunAsync("ApplyLockTimeoutExhausted", """{"action": "apply"}""");
        Assert.Equal(3, result.History.Count(e => e.Type == "LambdaFunctionFailed" && e.StateName == "Apply Migration"));
    }

    [Fact]
    public async Task A_failing_success_notification_keeps_the_success()
    {
        var (result, visited, _) = await RunAsync("NotifyFailsAfterSuccess", """{"action": "apply"}""");
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("Notify.PublishFailed", result.Output!["notify_error"]!["Error"]!.GetValue<string>());
        Assert.Equal(1, result.History.Count(e => e.Type == "LambdaFunctionFailed" && e.StateName == "Notify Result"));
        Assert.Equal("Migration Succeeded", visited[^1]);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"action": "drop"}""")]
    [InlineData("""{"action": 3}""")]
    [InlineData("""{"action": "apply", "dry_run": "yes"}""")]
    [InlineData("""{"action": "apply", "plan_hash": 12}""")]
    public async Task Invalid_input_fails_before_any_task_runs(string input)
    {
        var (result, visited, invoker) = await RunAsync("ApplySucceeds", input);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("Migration.InvalidInput", result.Error);
        Assert.Contains("\"action\"", result.Cause);
        Assert.Equal(["Check Input", "Invalid Input"], visited);
        Assert.DoesNotContain(result.History, e => e.Type.StartsWith("LambdaFunction", StringComparison.Ordinal));
        invoker.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("""{"action": "apply", "dryrun": true}""", "Check Input,Normalize Input,Known Fields?,Invalid Input")]
    [InlineData("""{"action": "apply", "dry_run": false, "plan": null}""", "Check Input,Normalize Input,Known Fields?,Invalid Input")]
    [InlineData("""{"action": "validate", "plan_hash": "480b3621ceaaae7a4d84283246c8477322ee78a8f2c37afed9b2981377b2b155"}""",
        "Check Input,Invalid Input")]
    public async Task A_field_the_workflow_does_not_read_is_refused_before_any_task_runs(string input, string states)
    {
        var (result, visited, invoker) = await RunAsync("ApplySucceeds", input);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("Migration.InvalidInput", result.Error);
        Assert.Contains("no other field", result.Cause);
        Assert.Equal(states.Split(','), visited);
        Assert.DoesNotContain(result.History, e => e.Type.StartsWith("LambdaFunction", StringComparison.Ordinal));
        invoker.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task An_execution_given_another_plans_hash_fails_as_stale_before_approval_and_apply()
    {
        const string reviewed = "0000deadbeef0000deadbeef0000deadbeef0000deadbeef0000deadbeef0000";
        var (result, visited, _) = await RunAsync("ApplyForAnotherPlan", $$"""{"action": "apply", "plan_hash": "{{reviewed}}"}""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("Migration.PlanStale", result.Error);
        Assert.Contains($"started for plan {reviewed}, but schema/ and the database now give plan 480b3621ceaa", result.Cause);
        Assert.Contains("nothing was applied", result.Cause);
        Assert.Equal(["Plan Migration", "Requested Plan?", "Plan Stale", "Notify Failure", "Migration Failed"], visited[^5..]);
        Assert.DoesNotContain("Apply Migration", visited);
    }

    [Fact]
    public void The_committed_diagram_and_the_readme_match_the_definition()
    {
        var diagram = MermaidDiagram.Generate(Definition());
        const string regenerate = "regenerate with: dotnet run --project functions/KnowItAll.Workflow.Cli -- workflow diagram --write";
        Assert.True(diagram == File.ReadAllText(Path.Combine(Root, "statemachine", "migration.mmd")),
            $"statemachine/migration.mmd is out of date; {regenerate}");
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        Assert.True(readme.Contains("```mermaid\n" + diagram + "```", StringComparison.Ordinal),
            $"the README's workflow diagram is out of date; {regenerate}");
    }
}
