using System.Text.Json.Nodes;
using Moq;

namespace KnowItAll.StateMachine.Tests;

/// <summary>
/// <c>.waitForTaskToken</c> as AWS runs it: the token is issued and handed to the function, the execution parks until
/// SendTaskSuccess / SendTaskFailure, TimeoutSeconds and HeartbeatSeconds end the wait, and a closed or foreign token
/// gets AWS's errors.
/// </summary>
public sealed class CallbackTaskTests
{
    private const string Function = "arn:aws:lambda:us-east-1:123456789012:function:ask";

    private static string Definition(string timing = "\"TimeoutSeconds\": 30,") => $$$$"""
        {"StartAt": "Ask", "States": {
          "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", {{{{timing}}}}
                  "Parameters": {"FunctionName": "{{{{Function}}}}", "Payload": {"question.$": "$.question", "token.$": "$$.Task.Token"}},
                  "ResultPath": "$.answer",
                  "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Timed Out"},
                            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refused"}],
                  "End": true},
          "Timed Out": {"Type": "Pass", "End": true},
          "Refused": {"Type": "Pass", "End": true}}}
        """;

    private sealed class Asked
    {
        public TaskTokens Tokens { get; } = new();
        public Mock<ITaskInvoker> Invoker { get; } = new(MockBehavior.Strict);
        public TaskCompletionSource<string> Token { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<JsonNode?> Payloads { get; } = [];

        public Asked()
        {
            Invoker.Setup(i => i.InvokeAsync(Function, It.IsAny<JsonNode?>(), It.IsAny<TaskContext>(), It.IsAny<CancellationToken>()))
                .Returns((string _, JsonNode? payload, TaskContext _, CancellationToken _) =>
                {
                    Payloads.Add(payload?.DeepClone());
                    Token.TrySetResult(payload!["token"]!.GetValue<string>());
                    return Task.FromResult<JsonNode?>(new JsonObject { ["sent"] = true });
                });
        }

        public Task<ExecutionResult> RunAsync(string definition, CancellationToken ct = default) =>
            new StateMachineExecutor(StateMachineDefinition.Load(definition, new Dictionary<string, string>()), Invoker.Object,
                new ExecutorOptions { TaskTokens = Tokens }).RunAsync(JsonNode.Parse("""{"question": "apply?"}"""), "callback", null, ct);
    }

    [Fact]
    public async Task The_execution_parks_until_SendTaskSuccess_and_continues_with_its_output()
    {
        var asked = new Asked();
        var running = asked.RunAsync(Definition());
        var token = await asked.Token.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.False(running.IsCompleted);

        asked.Tokens.Succeed(token, """{"decision": "yes"}""");
        var result = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("yes", result.Output!["answer"]!["decision"]!.GetValue<string>());
        Assert.Equal("apply?", asked.Payloads.Single()!["question"]!.GetValue<string>());
        var types = result.History.Select(e => e.Type).ToList();
        Assert.Equal(["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"],
            types.Where(t => t.StartsWith("Task", StringComparison.Ordinal) && !t.Contains("State", StringComparison.Ordinal)));
        var scheduled = result.History.Single(e => e.Type == "TaskScheduled").Details;
        Assert.Equal("lambda", scheduled["resourceType"]!.GetValue<string>());
        Assert.Equal("invoke.waitForTaskToken", scheduled["resource"]!.GetValue<string>());
        Assert.Equal(30, scheduled["timeoutInSeconds"]!.GetValue<int>());
        var submitted = JsonNode.Parse(result.History.Single(e => e.Type == "TaskSubmitted").Details["output"]!.GetValue<string>())!;
        Assert.Equal(200, submitted["StatusCode"]!.GetValue<int>());
        Assert.True(submitted["Payload"]!["sent"]!.GetValue<bool>());

        var closed = Assert.Throws<TaskTokenException>(() => asked.Tokens.Succeed(token, "{}"));
        Assert.Equal(TaskTokenException.TaskTimedOut, closed.Type);
    }

    [Fact]
    public async Task SendTaskFailure_fails_the_task_with_its_error_and_cause()
    {
        var asked = new Asked();
        var running = asked.RunAsync(Definition());
        asked.Tokens.Fail(await asked.Token.Task.WaitAsync(TimeSpan.FromSeconds(10)), "Migration.Rejected", "not today");
        var result = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("Refused", result.History.Last(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).StateName);
        Assert.Equal("Migration.Rejected", result.Output!["error"]!["Error"]!.GetValue<string>());
        Assert.Equal("not today", result.Output!["error"]!["Cause"]!.GetValue<string>());
        Assert.Contains(result.History, e => e.Type == "TaskFailed" && e.Details["error"]!.GetValue<string>() == "Migration.Rejected");
    }

    [Fact]
    public async Task TimeoutSeconds_ends_the_wait_with_States_Timeout_and_closes_the_token()
    {
        var asked = new Asked();
        var result = await asked.RunAsync(Definition("\"TimeoutSeconds\": 1,")).WaitAsync(TimeSpan.FromSeconds(10));
        var token = await asked.Token.Task;

        Assert.Equal("Timed Out", result.History.Last(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).StateName);
        Assert.Equal(StatesErrors.Timeout, result.Output!["error"]!["Error"]!.GetValue<string>());
        Assert.Contains(result.History, e => e.Type == "TaskTimedOut");
        Assert.Equal(TaskTokenException.TaskTimedOut, Assert.Throws<TaskTokenException>(() => asked.Tokens.Succeed(token, "{}")).Type);
        Assert.Equal(TaskTokenException.TaskTimedOut, Assert.Throws<TaskTokenException>(() => asked.Tokens.Heartbeat(token)).Type);
    }

    [Fact]
    public async Task Heartbeats_keep_the_task_alive_and_a_missed_one_is_States_HeartbeatTimeout()
    {
        var beating = new Asked();
        var running = beating.RunAsync(Definition("\"TimeoutSeconds\": 30, \"HeartbeatSeconds\": 2,"));
        var token = await beating.Token.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // Twice the heartbeat window in all, a beat every quarter of it: alive only because of the beats.
        for (var i = 0; i < 16; i++)
        {
            await Task.Delay(250);
            beating.Tokens.Heartbeat(token);
        }
        Assert.False(running.IsCompleted);
        beating.Tokens.Succeed(token, "\"done\"");
        var alive = await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("done", alive.Output!["answer"]!.GetValue<string>());

        var silent = new Asked();
        var result = await silent.RunAsync(Definition("\"TimeoutSeconds\": 20, \"HeartbeatSeconds\": 1,")).WaitAsync(TimeSpan.FromSeconds(10));
        // A States.Timeout catcher catches a heartbeat timeout too, as in AWS.
        Assert.Equal("Timed Out", result.History.Last(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).StateName);
        Assert.Equal(StatesErrors.HeartbeatTimeout, result.Output!["error"]!["Error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Foreign_and_malformed_tokens_and_outputs_get_aws_errors()
    {
        var asked = new Asked();
        var running = asked.RunAsync(Definition());
        var token = await asked.Token.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(TaskTokenException.InvalidToken, Assert.Throws<TaskTokenException>(() => asked.Tokens.Succeed("not-a-token", "{}")).Type);
        Assert.Equal(TaskTokenException.TaskDoesNotExist, Assert.Throws<TaskTokenException>(() => new TaskTokens().Succeed(token, "{}")).Type);
        Assert.Equal(TaskTokenException.InvalidOutput, Assert.Throws<TaskTokenException>(() => asked.Tokens.Succeed(token, "{not json")).Type);
        Assert.Equal(TaskTokenException.Validation, Assert.Throws<TaskTokenException>(() => asked.Tokens.Fail(token, new string('E', 257), null))
            .Type);
        Assert.False(running.IsCompleted);

        asked.Tokens.Succeed(token, "{}");
        Assert.Equal(ExecutionStatus.Succeeded, (await running.WaitAsync(TimeSpan.FromSeconds(10))).Status);
    }

    [Fact]
    public async Task Stopping_the_execution_closes_its_token()
    {
        var asked = new Asked();
        using var stop = new CancellationTokenSource();
        var running = asked.RunAsync(Definition(), stop.Token);
        var token = await asked.Token.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();

        Assert.Equal(ExecutionStatus.Aborted, (await running.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal(TaskTokenException.TaskTimedOut, Assert.Throws<TaskTokenException>(() => asked.Tokens.Succeed(token, "{}")).Type);
    }

    [Fact]
    public void A_waiting_task_must_pass_its_token()
    {
        var definition = """
            {"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
              "Parameters": {"FunctionName": "f", "Payload": {"question": "apply?"}}, "End": true}}}
            """;
        var e = Assert.Throws<DefinitionException>(() => StateMachineDefinition.Load(definition, new Dictionary<string, string>()));
        Assert.Contains("$$.Task.Token", e.Message);
    }

    [Fact]
    public async Task A_mocked_waiting_task_returns_the_mocked_callback_without_waiting()
    {
        var mocks = MockConfig.Load("""
            {"StateMachines": {"StateMachine": {"TestCases": {"Approved": {"Ask": "Yes"}, "Refused": {"Ask": "No"}}}},
             "MockedResponses": {"Yes": {"0": {"Return": {"decision": "yes"}}},
                                 "No": {"0": {"Throw": {"Error": "Migration.Rejected", "Cause": "not today"}}}}}
            """);
        var invoker = new Mock<ITaskInvoker>(MockBehavior.Strict);
        async Task<ExecutionResult> Run(string testCase) =>
            await new StateMachineExecutor(StateMachineDefinition.Load(Definition(), new Dictionary<string, string>()),
            invoker.Object, new ExecutorOptions { Mocks = mocks, TestCase = testCase }).RunAsync(JsonNode.Parse("""{"question": "apply?"}"""),
            testCase);

        var approved = await Run("Approved");
        var refused = await Run("Refused");

        Assert.Equal("yes", approved.Output!["answer"]!["decision"]!.GetValue<string>());
        Assert.Equal("Migration.Rejected", refused.Output!["error"]!["Error"]!.GetValue<string>());
    }
}
