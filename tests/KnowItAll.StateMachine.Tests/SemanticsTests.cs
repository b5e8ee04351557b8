using System.Text.Json.Nodes;
using Moq;

namespace KnowItAll.StateMachine.Tests;

public sealed class SemanticsTests
{
    private readonly Machines _m = new();

    [Fact]
    public async Task Input_and_output_processing_follow_the_spec_order()
    {
        _m.Returns("arn:fn", input => new JsonObject { ["echo"] = input?.DeepClone(), ["extra"] = 1 });
        var result = await _m.For("""
            {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:fn",
              "InputPath": "$.data",
              "Parameters": {"value.$": "$.value", "fixed": "x", "name.$": "$$.Execution.Name", "nested": {"list.$": "States.Array($.value, 2)"}},
              "ResultSelector": {"got.$": "$.echo"},
              "ResultPath": "$.data.result",
              "OutputPath": "$.data",
              "End": true}}}
            """).RunAsync(JsonNode.Parse("""{"data": {"value": 7}, "other": true}"""), "exec-1");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("""{"value":7,"result":{"got":{"value":7,"fixed":"x","name":"exec-1","nested":{"list":[7,2]}}}}""",
            result.Output!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"Variable": "$.s", "StringEquals": "abc"}""", true)]
    [InlineData("""{"Variable": "$.s", "StringLessThan": "abd"}""", true)]
    [InlineData("""{"Variable": "$.s", "StringGreaterThanEquals": "abc"}""", true)]
    [InlineData("""{"Variable": "$.s", "StringMatches": "a*c"}""", true)]
    [InlineData("""{"Variable": "$.s", "StringMatches": "b*"}""", false)]
    [InlineData("""{"Variable": "$.s", "StringEqualsPath": "$.t"}""", true)]
    [InlineData("""{"Variable": "$.n", "NumericEquals": 3}""", true)]
    [InlineData("""{"Variable": "$.n", "NumericGreaterThan": 2.5}""", true)]
    [InlineData("""{"Variable": "$.n", "NumericLessThanEquals": 2}""", false)]
    [InlineData("""{"Variable": "$.n", "NumericLessThanPath": "$.m"}""", true)]
    [InlineData("""{"Variable": "$.s", "NumericEquals": 3}""", false)]
    [InlineData("""{"Variable": "$.b", "BooleanEquals": true}""", true)]
    [InlineData("""{"Variable": "$.ts", "TimestampLessThan": "2026-11-25T00:00:00Z"}""", true)]
    [InlineData("""{"Variable": "$.ts", "TimestampEquals": "2026-11-24T12:00:00Z"}""", true)]
    [InlineData("""{"Variable": "$.missing", "IsPresent": false}""", true)]
    [InlineData("""{"Variable": "$.z", "IsNull": true}""", true)]
    [InlineData("""{"Variable": "$.n", "IsNumeric": true}""", true)]
    [InlineData("""{"Variable": "$.s", "IsString": true}""", true)]
    [InlineData("""{"Variable": "$.b", "IsBoolean": true}""", true)]
    [InlineData("""{"Variable": "$.ts", "IsTimestamp": true}""", true)]
    [InlineData("""{"And": [{"Variable": "$.b", "BooleanEquals": true}, {"Variable": "$.n", "NumericEquals": 3}]}""", true)]
    [InlineData("""{"Or": [{"Variable": "$.b", "BooleanEquals": false}, {"Variable": "$.n", "NumericEquals": 4}]}""", false)]
    [InlineData("""{"Not": {"Variable": "$.s", "StringEquals": "x"}}""", true)]
    public async Task Choice_rules_evaluate_every_operator(string rule, bool matches)
    {
        var withNext = rule[..rule.LastIndexOf('}')] + ", \"Next\": \"Yes\"}";
        var json = """{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [""" + withNext + """], "Default": "No"}, """
            + """ "Yes": {"Type": "Pass", "Result": "yes", "End": true}, "No": {"Type": "Pass", "Result": "no", "End": true}}}""";
        var result = await _m.For(json)
            .RunAsync(JsonNode.Parse("""{"s": "abc", "t": "abc", "n": 3, "m": 4, "b": true, "z": null, "ts": "2026-11-24T12:00:00Z"}"""), "c");
        Assert.Equal(matches ? "yes" : "no", result.Output!.GetValue<string>());
    }

    [Fact]
    public async Task A_choice_on_a_missing_variable_is_a_runtime_error()
    {
        var result = await _m.For("""
            {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.nope", "StringEquals": "x", "Next": "E"}],
                "Default": "E"},
            "E": {"Type": "Succeed"}}}
            """).RunAsync(new JsonObject(), "c");
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrors.Runtime, result.Error);
    }

    [Fact]
    public async Task Retry_counts_attempts_with_backoff_and_a_delay_cap_then_catch_takes_over()
    {
        var calls = 0;
        _m.Invoker.Setup(i => i.InvokeAsync("arn:fn", It.IsAny<JsonNode?>(), It.IsAny<TaskContext>(), It.IsAny<CancellationToken>()))
            .Returns(() => { calls++; throw new TaskFailedException("Custom.Busy", "busy " + calls); });
        var result = await _m.For("""
            {"StartAt": "T", "States": {
              "T": {"Type": "Task", "Resource": "arn:fn", "Next": "Done",
                    "Retry": [{"ErrorEquals": ["Other"], "MaxAttempts": 5},
                              {"ErrorEquals": ["Custom.Busy"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 3, "MaxDelaySeconds": 10}],
                    "Catch": [{"ErrorEquals": ["Custom.Other"], "Next": "Wrong"},
                              {"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Caught"}]},
              "Done": {"Type": "Succeed"}, "Wrong": {"Type": "Fail", "Error": "Wrong"},
              "Caught": {"Type": "Pass", "End": true}}}
            """).RunAsync(new JsonObject { ["keep"] = 1 }, "r");

        Assert.Equal(4, calls);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(10)], _m.Delays);
        Assert.Equal("""{"keep":1,"err":{"Error":"Custom.Busy","Cause":"busy 4"}}""", result.Output!.ToJsonString());
        Assert.Equal(4, result.History.Count(e => e.Type == "TaskFailed"));
    }

    [Fact]
    public async Task TaskFailed_does_not_match_a_timeout_and_runtime_errors_are_not_caught_by_all()
    {
        _m.Invoker.Setup(i => i.InvokeAsync("arn:slow", It.IsAny<JsonNode?>(), It.IsAny<TaskContext>(), It.IsAny<CancellationToken>()))
            .Returns(async (string _, JsonNode? _, TaskContext _, CancellationToken ct) => { await Task.Delay(Timeout.Infinite, ct); return null; });
        var timeout = await _m.For("""
            {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:slow", "TimeoutSeconds": 1, "End": true,
              "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Bad"}, {"ErrorEquals": ["States.Timeout"], "Next": "Timed"}]},
              "Bad": {"Type": "Fail", "Error": "Bad"}, "Timed": {"Type": "Pass", "Result": "timed out", "End": true}}}
            """).RunAsync(new JsonObject(), "t");
        Assert.Equal("timed out", timeout.Output!.GetValue<string>());
        Assert.Contains(timeout.History, e => e.Type == "TaskTimedOut");

        var runtime = await _m.For("""
            {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Parameters": {"x.$": "$.absent"},
              "Branches": [{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
              "Caught": {"Type": "Succeed"}}}
            """).RunAsync(new JsonObject(), "rt");
        Assert.Equal(ExecutionStatus.Failed, runtime.Status);
        Assert.Equal(StatesErrors.Runtime, runtime.Error);
    }

    [Fact]
    public async Task Parallel_wait_intrinsics_context_and_fail_paths()
    {
        var result = await _m.For("""
            {"StartAt": "W", "States": {
              "W": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "P"},
              "P": {"Type": "Parallel", "Next": "F", "ResultPath": "$.branches",
                    "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength($.items)"},
                                                          "End": true}}},
                                 {"StartAt": "B", "States": {"B": {"Type": "Pass",
                                                                    "Parameters": {"s.$": "States.Format('{} of {}', $.wait, $$.State.Name)"},
                                                                    "End": true}}}]},
              "F": {"Type": "Fail", "ErrorPath": "$.kind", "CausePath": "States.Format('{} branches', States.ArrayLength($.branches))"}}}
            """).RunAsync(JsonNode.Parse("""{"wait": 3, "items": [1, 2, 3], "kind": "Custom.Done"}"""), "p");

        Assert.Equal([TimeSpan.FromSeconds(3)], _m.Delays);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("Custom.Done", result.Error);
        Assert.Equal("2 branches", result.Cause);
        var exited = result.History.Single(e => e.Type == "ParallelStateExited");
        Assert.Contains("""{"n":3}""", exited.Details["output"]!.GetValue<string>());
        Assert.Contains("""{"s":"3 of B"}""", exited.Details["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_history_uses_aws_event_names_in_order()
    {
        _m.Returns("arn:aws:lambda:us-east-1:123456789012:function:f", _ => new JsonObject { ["ok"] = true });
        var result = await _m.For("""
            {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Next": "C"},
              "C": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "S"}], "Default": "S"},
              "S": {"Type": "Succeed"}}}
            """).RunAsync(new JsonObject(), "h");

        Assert.Equal(
            ["ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
             "ChoiceStateEntered", "ChoiceStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"],
            result.History.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), result.History.Select(e => e.Id));
        Assert.All(result.History, e => Assert.Equal(e.Id - 1, e.PreviousEventId));
    }

    [Theory]
    [InlineData("""{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true}}}""", "state type 'Map' is not supported")]
    [InlineData("""{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Heartbeat": 3}}}""", "field 'Heartbeat' is not supported")]
    [InlineData("""{"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""", "QueryLanguage JSONata")]
    [InlineData("""{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "States.Hash($, 'SHA-1')"}, "End": true}}}""",
        "States.Hash is not supported")]
    [InlineData("""{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$..deep", "End": true}}}""", "not a reference path")]
    [InlineData("""{"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Nowhere"}}}""", "'Nowhere', which does not exist")]
    [InlineData("""{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "${Missing}", "End": true}}}""", "${Missing}")]
    [InlineData(
        """{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "x", "End": true, "Retry": [{"ErrorEquals": ["States.ALL", "X"]}]}}}""",
        "States.ALL must be alone")]
    public void Unsupported_or_broken_definitions_are_rejected_when_loaded(string json, string message)
    {
        var error = Assert.Throws<DefinitionException>(() => StateMachineDefinition.Load(json, new Dictionary<string, string>()));
        Assert.Contains(message, error.Message);
    }
}
