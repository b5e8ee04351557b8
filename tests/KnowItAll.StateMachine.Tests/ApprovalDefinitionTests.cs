using System.Text.Json.Nodes;
using Moq;

namespace KnowItAll.StateMachine.Tests;

/// <summary>
/// The approval path of statemachine/migration.asl.json through statemachine/mocks/approval.mock.json (callback tasks
/// mocked as Step Functions Local mocks them: Return is the SendTaskSuccess output, Throw the SendTaskFailure / timeout).
/// </summary>
public sealed class ApprovalDefinitionTests
{
    private static readonly string Root = Machines.Repo();
    private static readonly string[] Functions = ["Validate", "Plan", "Apply", "VerifyPermissions", "Notify"];

    internal static StateMachineDefinition Definition(bool requireApproval, int timeoutSeconds = 86400) => StateMachineDefinition.Load(
        File.ReadAllText(Path.Combine(Root, "statemachine", "migration.asl.json")),
        Functions.ToDictionary(f => f + "FunctionArn", f => $"arn:aws:lambda:us-east-1:123456789012:function:knowitall-test-{f}")
            .Append(new("Environment", "test")).Append(new("RequireApproval", requireApproval ? "true" : "false"))
            .Append(new("ApprovalTimeoutSeconds", timeoutSeconds.ToString())).ToDictionary(p => p.Key, p => p.Value));

    private static async Task<(ExecutionResult Result, List<string> Visited)> RunAsync(string testCase, string input = """{"action": "apply"}""",
        bool requireApproval = true)
    {
        var executor = new StateMachineExecutor(Definition(requireApproval), new Mock<ITaskInvoker>(MockBehavior.Strict).Object, new ExecutorOptions
        {
            StateMachineName = "knowitall-migration",
            Mocks = MockConfig.Load(File.ReadAllText(Path.Combine(Root, "statemachine", "mocks", "approval.mock.json"))),
            TestCase = testCase,
            Delay = (_, _) => Task.CompletedTask,
        });
        var result = await executor.RunAsync(JsonNode.Parse(input), "case-" + testCase);
        return (result, result.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName!).ToList());
    }

    [Fact]
    public async Task An_approved_plan_is_applied()
    {
        var (result, visited) = await RunAsync("ApprovalGranted");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("APPLIED", result.Output!["outcome"]!.GetValue<string>());
        Assert.Equal(["Plan Migration", "Requested Plan?", "Approval Policy", "Plan Blocked?", "Dry Run?", "Approval Required?", "Request Approval",
            "Approved This Plan?", "Apply Migration"],
            visited.SkipWhile(s => s != "Plan Migration").Take(9));
        Assert.Equal(result.Output["plan"]!["plan_hash"]!.GetValue<string>(), result.Output["approval"]!["plan_hash"]!.GetValue<string>());
        Assert.Equal(86400, result.Output["approval_policy"]!["timeout_seconds"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("ApprovalRejected", "Migration.Rejected", "the index should be built concurrently")]
    [InlineData("ApprovalTimedOut", "Migration.ApprovalTimedOut", "within 86400 s; nothing was applied")]
    [InlineData("ApprovalForAnotherPlan", "Migration.ApprovalMismatch", "does not name plan 480b3621ceaa")]
    [InlineData("ApprovedButDatabaseMoved", "Migration.PlanStale", "the database changed since the plan was made")]
    public async Task Rejection_timeout_and_a_moved_plan_fail_notified_and_named(string testCase, string error, string cause)
    {
        var (result, visited) = await RunAsync(testCase);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(error, result.Error);
        Assert.Contains(cause, result.Cause);
        Assert.Contains("Notify Failure", visited);
        if (error != "Migration.PlanStale") Assert.DoesNotContain("Apply Migration", visited);
    }

    [Fact]
    public async Task A_dry_run_and_an_environment_without_approval_never_wait()
    {
        var (dryRun, dryVisited) = await RunAsync("DryRunNeverWaits", """{"action": "apply", "dry_run": true}""");
        var (plain, plainVisited) = await RunAsync("ApprovalGranted", requireApproval: false);

        Assert.Equal("DRY_RUN", dryRun.Output!["outcome"]!.GetValue<string>());
        Assert.DoesNotContain("Request Approval", dryVisited);
        Assert.Equal("APPLIED", plain.Output!["outcome"]!.GetValue<string>());
        Assert.DoesNotContain("Request Approval", plainVisited);
        Assert.Contains("Approval Required?", plainVisited);
    }

    [Fact]
    public void The_approval_task_waits_for_a_token_with_the_configured_timeout()
    {
        var state = Definition(true, 600).States["Request Approval"];

        Assert.True(state.WaitsForTaskToken);
        Assert.Equal("$.approval_policy.timeout_seconds", state.TimeoutSecondsPath!.Text);
        Assert.Contains(state.Catch, c => c.ErrorEquals.Contains("States.Timeout") && c.Next == "Approval Timed Out");
        Assert.True(Definition(true, 600).TimeoutSeconds > 7 * 24 * 3600, "the execution outlives the longest approval wait");
    }
}
