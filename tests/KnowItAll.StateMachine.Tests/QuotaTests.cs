using System.Text.Json.Nodes;
using Moq;

namespace KnowItAll.StateMachine.Tests;

/// <summary>
/// The quotas AWS enforces, with AWS's failures: 256 KiB per state input, output and task result
/// (States.DataLimitExceeded), 25,000 history events, 6 MB per Lambda response (Function.ResponseSizeTooLarge).
/// </summary>
public sealed class QuotaTests
{
    private const string Lambda = "arn:aws:lambda:us-east-1:123456789012:function:f";
    private readonly Machines _m = new();

    private static JsonObject Sized(int bytes) => new() { ["blob"] = new string('x', bytes - 11) };

    private static string CatchingTask(string resource, string catchers, string extra = "") => """
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "RESOURCE", EXTRA "Next": "Done", "Catch": [CATCHERS]},
          "Done": {"Type": "Succeed"},
          "Limit": {"Type": "Pass", "Result": "caught by name", "End": true},
          "All": {"Type": "Pass", "Result": "caught by States.ALL", "End": true}}}
        """.Replace("RESOURCE", resource, StringComparison.Ordinal).Replace("EXTRA", extra, StringComparison.Ordinal)
            .Replace("CATCHERS", catchers, StringComparison.Ordinal);

    [Fact]
    public void Sizes_are_the_utf8_bytes_of_the_json_text()
    {
        Assert.Equal(262_144, Quotas.Utf8Size(Sized(262_144)));
        Assert.Equal("{\"s\":\"é\"}".Length + 1, Quotas.Utf8Size(new JsonObject { ["s"] = "é" }));
    }

    [Fact]
    public async Task A_task_result_at_the_quota_passes_and_one_byte_more_fails_the_task_with_DataLimitExceeded()
    {
        var size = Quotas.MaxPayloadBytes;
        _m.Returns(Lambda, _ => Sized(size));
        var definition = """{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource":""" +
            """ "arn:aws:lambda:us-east-1:123456789012:function:f", "ResultPath": null, "End": true}}}""";

        var fits = await _m.For(definition).RunAsync(new JsonObject(), "fits");
        size++;
        var over = await _m.For(definition).RunAsync(new JsonObject(), "over");

        Assert.Equal(ExecutionStatus.Succeeded, fits.Status);
        Assert.Equal(ExecutionStatus.Failed, over.Status);
        Assert.Equal(StatesErrors.DataLimitExceeded, over.Error);
        Assert.Equal($"The state/task '{Lambda}' returned a result with a size exceeding the maximum number of bytes service limit.", over.Cause);
        var failed = over.History.Single(e => e.Type == "LambdaFunctionFailed");
        Assert.Equal(StatesErrors.DataLimitExceeded, failed.Details["error"]!.GetValue<string>());
        Assert.DoesNotContain(over.History, e => e.Type == "LambdaFunctionSucceeded");
    }

    [Theory]
    // AWS, recorded on real Step Functions (LocalStack's validated snapshots of 2024-03-21, tests/aws/services/stepfunctions/
    // v2/error_handling/test_states_errors.snapshot.json): a Lambda result over the quota is caught by a Catch that names
    // States.DataLimitExceeded, and also by States.ALL, although the error-handling page says States.ALL does not catch it.
    [InlineData("""{"ErrorEquals": ["States.DataLimitExceeded"], "Next": "Limit"}, {"ErrorEquals": ["States.ALL"], "Next": "All"}""",
        "caught by name")]
    [InlineData("""{"ErrorEquals": ["States.ALL"], "Next": "All"}""", "caught by States.ALL")]
    public async Task A_task_result_over_the_quota_is_a_task_failure_its_catchers_see(string catchers, string expected)
    {
        _m.Returns(Lambda, _ => Sized(300_000));

        var result = await _m.For(CatchingTask(Lambda, catchers)).RunAsync(new JsonObject(), "c");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(expected, result.Output!.GetValue<string>());
    }

    [Fact]
    public async Task A_state_output_over_the_quota_fails_the_execution_past_every_catcher()
    {
        // Each part fits; the result placed into the input does not. The task's own Catch never sees it.
        _m.Returns(Lambda, _ => Sized(150_000));

        var result =
            await _m.For(
                CatchingTask(Lambda,
                    """{"ErrorEquals": ["States.DataLimitExceeded"], "Next": "Limit"}, {"ErrorEquals": ["States.ALL"], "Next": "All"}""",
            """ "ResultPath": "$.result", """)).RunAsync(Sized(150_000), "o");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrors.DataLimitExceeded, result.Error);
        Assert.Equal("The state/task 'T' returned a result with a size exceeding the maximum number of bytes service limit.", result.Cause);
        Assert.Contains(result.History, e => e.Type == "LambdaFunctionSucceeded");
        Assert.DoesNotContain(result.History, e => e.Type == "TaskStateExited");
        Assert.Equal("ExecutionFailed", result.History[^1].Type);
    }

    [Fact]
    public async Task A_pass_state_output_over_the_quota_fails_the_execution_as_aws_records_it()
    {
        var pass = new JsonObject { ["Type"] = "Pass", ["Result"] = new JsonObject { ["a"] = new string('a', 257 * 1024) }, ["End"] = true };
        var result = await _m.For(new JsonObject { ["StartAt"] = "P", ["States"] = new JsonObject { ["P"] = pass } }.ToJsonString())
            .RunAsync(new JsonObject(), "p");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrors.DataLimitExceeded, result.Error);
        Assert.Equal(["ExecutionStarted", "PassStateEntered", "ExecutionFailed"], result.History.Select(e => e.Type));
    }

    [Fact]
    public async Task A_task_input_over_the_quota_after_parameters_fails_the_execution_before_the_task_runs()
    {
        var invoker = new Mock<ITaskInvoker>(MockBehavior.Strict);
        var definition = StateMachineDefinition.Load(CatchingTask(Lambda, """{"ErrorEquals": ["States.ALL"], "Next": "All"}""",
            """ "Parameters": {"a.$": "$.half", "b.$": "$.half"}, """), new Dictionary<string, string>());

        var result = await new StateMachineExecutor(definition, invoker.Object).RunAsync(new JsonObject { ["half"] = new string('h', 140_000) }, "i");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrors.DataLimitExceeded, result.Error);
        Assert.Contains("after Parameters", result.Cause);
        Assert.DoesNotContain(result.History, e => e.Type.StartsWith("LambdaFunction", StringComparison.Ordinal));
        invoker.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task An_execution_input_over_the_quota_enters_no_state()
    {
        var result = await _m.For("""{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""")
            .RunAsync(Sized(Quotas.MaxPayloadBytes + 1), "big");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrors.DataLimitExceeded, result.Error);
        Assert.Contains("The execution input", result.Cause);
        Assert.Equal(["ExecutionStarted", "ExecutionFailed"], result.History.Select(e => e.Type));
    }

    /// <summary>
    /// Three Pass states, then a task and a choice looped until the task has answered <paramref name="rounds"/> times:
    /// 1 + 3×2 + 7×rounds + 2 (Succeed) + 1 events; 3,570 rounds make exactly 25,000.
    /// </summary>
    private Task<ExecutionResult> LoopAsync(int rounds)
    {
        var calls = 0;
        _m.Returns("arn:count", _ => new JsonObject { ["done"] = ++calls == rounds });
        return _m.For("""
            {"StartAt": "P1", "States": {
              "P1": {"Type": "Pass", "Next": "P2"}, "P2": {"Type": "Pass", "Next": "P3"}, "P3": {"Type": "Pass", "Next": "Count"},
              "Count": {"Type": "Task", "Resource": "arn:count", "Next": "Done?"},
              "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "End"}], "Default": "Count"},
              "End": {"Type": "Succeed"}}}
            """).RunAsync(new JsonObject(), "loop");
    }

    [Fact]
    public async Task The_25000th_event_may_be_the_execution_succeeding()
    {
        var result = await LoopAsync(3_570);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(Quotas.MaxHistoryEvents, result.History.Count);
        Assert.Equal("ExecutionSucceeded", result.History[^1].Type);
    }

    [Fact]
    public async Task Any_other_25000th_event_fails_the_execution_instead()
    {
        var result = await LoopAsync(3_571);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrors.Runtime, result.Error);
        Assert.Contains("25000", result.Cause);
        Assert.Equal(Quotas.MaxHistoryEvents, result.History.Count);
        Assert.Equal("ExecutionFailed", result.History[^1].Type);
        Assert.Equal(Quotas.MaxHistoryEvents, result.History[^1].Id);
    }

    [Fact]
    public async Task A_lambda_response_over_6_mb_fails_the_task_as_lambda_does_and_catchers_see_it()
    {
        _m.Returns(Lambda, _ => Sized(Quotas.MaxLambdaResponseBytes + 1));

        var caught =
            await _m.For(CatchingTask(Lambda, """{"ErrorEquals": ["Function.ResponseSizeTooLarge"], "ResultPath": "$.error", "Next": "Limit"}"""))
            .RunAsync(new JsonObject(), "l");
        var uncaught = await _m.For("""{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource":""" +
                """ "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true}}}""")
            .RunAsync(new JsonObject(), "u");

        Assert.Equal("caught by name", caught.Output!.GetValue<string>());
        Assert.Equal(ExecutionStatus.Failed, uncaught.Status);
        Assert.Equal(Quotas.LambdaResponseTooLarge, uncaught.Error);
        var body = JsonNode.Parse(uncaught.Cause!)!;
        Assert.Equal(Quotas.LambdaResponseTooLarge, body["errorType"]!.GetValue<string>());
        Assert.Equal("Response payload size exceeded maximum allowed payload size (6291556 bytes).", body["errorMessage"]!.GetValue<string>());
        Assert.Equal(Quotas.LambdaResponseTooLarge, uncaught.History.Single(e => e.Type == "LambdaFunctionFailed")
            .Details["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_mocked_response_is_lambdas_answer_already_so_only_the_state_quota_applies()
    {
        var invoke = new JsonObject { ["StatusCode"] = 200, ["Payload"] = Sized(Quotas.MaxLambdaResponseBytes + 1) };
        var config = MockConfig.Load(new JsonObject
        {
            ["StateMachines"] = JsonNode.Parse("""{"StateMachine": {"TestCases": {"Big": {"T": "Huge"}}}}"""),
            ["MockedResponses"] = new JsonObject { ["Huge"] = new JsonObject { ["0"] = new JsonObject { ["Return"] = invoke } } },
        }.ToJsonString());
        var result = await _m.For("""{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource":""" +
                """ "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true}}}""",
            config, "Big").RunAsync(new JsonObject(), "m");

        Assert.Equal(StatesErrors.DataLimitExceeded, result.Error);
    }
}
