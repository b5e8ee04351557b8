using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine.Tests;

/// <summary>Mock configs in AWS Step Functions Local's format: a Lambda task's Return is the Invoke response.</summary>
public sealed class MockConfigTests
{
    private const string Lambda = "arn:aws:lambda:us-east-1:123456789012:function:f";
    private readonly Machines _m = new();

    private static MockConfig Config(string response) => MockConfig.Load(
        """{"StateMachines": {"StateMachine": {"TestCases": {"Case": {"T": "R"}}}}, "MockedResponses": {"R": {"0": """ + response + "}}}");

    private Task<ExecutionResult> RunAsync(string resource, string response) =>
        _m.For("""{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": """ + $"\"{resource}\"" +
            """, "ResultPath": "$.result", "End": true}}}""",
            Config(response), "Case").RunAsync(new JsonObject { ["keep"] = 1 }, "m");

    [Fact]
    public async Task A_lambda_function_task_takes_the_payload_of_the_invoke_response()
    {
        var result = await RunAsync(Lambda, """{"Return": {"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": {"schema_valid": true}}}""");

        Assert.Equal("""{"keep":1,"result":{"schema_valid":true}}""", result.Output!.ToJsonString());
        Assert.Equal("""{"schema_valid":true}""", result.History.Single(e => e.Type == "LambdaFunctionSucceeded")
            .Details["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_lambda_invoke_integration_returns_the_whole_response_as_aws_does()
    {
        var result = await RunAsync("arn:aws:states:::lambda:invoke", """{"Return": {"StatusCode": 200, "Payload": {"ok": true}}}""");

        Assert.Equal("""{"keep":1,"result":{"StatusCode":200,"Payload":{"ok":true}}}""", result.Output!.ToJsonString());
    }

    [Fact]
    public async Task A_bare_return_is_still_the_result_itself()
    {
        var result = await RunAsync(Lambda, """{"Return": {"schema_valid": false}}""");

        Assert.Equal("""{"keep":1,"result":{"schema_valid":false}}""", result.Output!.ToJsonString());
    }

    [Fact]
    public async Task A_function_error_fails_the_task_with_the_error_type_and_the_body_as_cause()
    {
        var result = await RunAsync(Lambda,
            """{"Return": {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": {"errorType": "Migration.LockTimeout",""" +
            """ "errorMessage": "could not get the lock", "stackTrace": []}}}""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("Migration.LockTimeout", result.Error);
        Assert.Equal("""{"errorType":"Migration.LockTimeout","errorMessage":"could not get the lock","stackTrace":[]}""", result.Cause);
        Assert.Single(result.History, e => e.Type == "LambdaFunctionFailed");
    }

    [Fact]
    public async Task A_throw_fails_the_task_with_its_error_and_cause()
    {
        var result = await RunAsync(Lambda, """{"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "Rate Exceeded."}}""");

        Assert.Equal("Lambda.TooManyRequestsException", result.Error);
        Assert.Equal("Rate Exceeded.", result.Cause);
    }

    [Theory]
    [InlineData("""{"Return": {"StatusCode": 200}}""", "needs a Payload")]
    [InlineData("""{"Return": {"StatusCode": "200", "Payload": {}}}""", "StatusCode must be a number")]
    [InlineData("""{"Return": {"StatusCode": 200, "Payload": {}, "Headers": {}}}""", "'Headers' is not a field of a Lambda Invoke response")]
    [InlineData("""{"Return": {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": {"message": "x"}}}""", "needs a Payload with errorType")]
    [InlineData("""{"Return": {}, "Throw": {"Error": "E", "Cause": "C"}}""", "exactly one of Return or Throw")]
    [InlineData("""{"Throw": {"Error": "E"}}""", "Throw needs a string Error and a string Cause")]
    [InlineData("""{"Throw": {"Error": "E", "Cause": "C", "Retry": 1}}""", "Throw needs a string Error and a string Cause")]
    [InlineData("""{"Return": {}, "Delay": 3}""", "exactly one of Return or Throw")]
    public void A_malformed_response_is_refused_when_the_config_is_loaded_naming_where(string response, string message)
    {
        var error = Assert.Throws<DefinitionException>(() => Config(response));

        Assert.Contains("response 'R' attempt '0'", error.Message);
        Assert.Contains(message, error.Message);
    }
}
