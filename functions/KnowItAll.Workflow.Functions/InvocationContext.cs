namespace KnowItAll.Workflow.Functions;

/// <summary>What the Lambda Runtime API (or the local executor) says about one invocation.</summary>
public sealed record InvocationContext(string RequestId, DateTimeOffset? Deadline = null, string? TraceId = null, string? FunctionArn = null, string? ExecutionId = null);

/// <summary>The result of one invocation: output JSON, or an error with a stable name the state machine can retry or catch on.</summary>
public sealed record InvocationOutcome(string? OutputJson, string? ErrorType, string? ErrorMessage)
{
    public bool Succeeded => ErrorType is null;

    public static InvocationOutcome Success(string json) => new(json, null, null);

    public static InvocationOutcome Failure(string errorType, string message) => new(null, errorType, message);
}

public static class FunctionErrors
{
    /// <summary>The function stopped itself before its deadline, so nothing was left half-done.</summary>
    public const string Timeout = "Migration.Timeout";

    /// <summary>Anything unforeseen; the message says what.</summary>
    public const string Internal = "Migration.InternalError";
}
