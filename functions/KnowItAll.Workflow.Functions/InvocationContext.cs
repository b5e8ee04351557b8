namespace KnowItAll.Workflow.Functions;

/// <summary>What the Lambda Runtime API (or the local executor) says about one invocation.</summary>
public sealed record InvocationContext(string RequestId, DateTimeOffset? Deadline = null, string? TraceId = null, string? FunctionArn = null,
    string? ExecutionId = null);

/// <summary>The result of one invocation: output JSON, or an error with a stable name the state machine can retry or catch on.</summary>
public sealed record InvocationOutcome(string? OutputJson, string? ErrorType, string? ErrorMessage)
{
    public bool Succeeded => ErrorType is null;

    public static InvocationOutcome Success(string json) => new(json, null, null);

    public static InvocationOutcome Failure(string errorType, string message) => new(null, errorType, message);

    /// <summary>
    /// Error messages reach the caller cut to a budget: Step Functions carries the error body as the Cause through
    /// the state and the notification, so a message listing every object of a large schema would break both.
    /// The function's log keeps the whole message.
    /// </summary>
    public const int MaxErrorMessageChars = 4000;

    public string? CallerErrorMessage => ErrorMessage is { Length: > MaxErrorMessageChars } full
        ? full[..MaxErrorMessageChars] + $"… ({full.Length - MaxErrorMessageChars:N0} more characters in the function's log)"
        : ErrorMessage;
}
