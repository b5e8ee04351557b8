using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine;

/// <summary>
/// The AWS quotas the executor enforces, with the failures AWS reports when one is crossed.
/// Step Functions: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (payload size, history size),
/// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (States.DataLimitExceeded).
/// Lambda: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (synchronous Invoke response).
/// </summary>
public static class Quotas
{
    /// <summary>256 KiB of UTF-8 JSON: a state's input and output, a task's input after Parameters, a task's result.</summary>
    public const int MaxPayloadBytes = 262_144;

    /// <summary>Events in one execution's history; the last one may only be the execution's own end.</summary>
    public const int MaxHistoryEvents = 25_000;

    /// <summary>What Lambda returns at most from a synchronous Invoke (6 MiB plus Lambda's 100-byte allowance).</summary>
    public const int MaxLambdaResponseBytes = 6_291_556;

    public const string LambdaResponseTooLarge = "Function.ResponseSizeTooLarge";

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The size AWS measures: the UTF-8 bytes of the value's JSON text.</summary>
    public static int Utf8Size(JsonNode? value) => value is null ? 4 : Encoding.UTF8.GetByteCount(value.ToJsonString(Unescaped));

    /// <summary>A task's result over the quota: a failure of the task, which its Retry and Catch see (AWS reports it as the task's
    /// failure).</summary>
    internal static StatesException ResultTooLarge(string resource) =>
        new(StatesErrors.DataLimitExceeded,
            $"The state/task '{resource}' returned a result with a size exceeding the maximum number of bytes service limit.");

    /// <summary>A state's output over the quota: the execution fails at once, past Retry and Catch.</summary>
    internal static StatesException OutputTooLarge(string state) =>
        new(StatesErrors.DataLimitExceeded,
            $"The state/task '{state}' returned a result with a size exceeding the maximum number of bytes service limit.", terminal: true);

    /// <summary>An input over the quota (the execution's, or a task's after Parameters): the execution fails at once.</summary>
    internal static StatesException InputTooLarge(string what, int bytes) =>
        new(StatesErrors.DataLimitExceeded, $"{what} is {bytes} bytes, over the maximum number of bytes service limit ({MaxPayloadBytes}).",
            terminal: true);

    /// <summary>
    /// The history quota: event 25,000 may only be ExecutionSucceeded; anything else fails the execution instead.
    /// AWS documents the failure but not its error name; States.Runtime is the name for a failure the execution cannot handle.
    /// </summary>
    internal static StatesException HistoryFull() =>
        new(StatesErrors.Runtime, $"The execution reached the maximum number of events in its history ({MaxHistoryEvents}).", terminal: true);

    /// <summary>Lambda refuses a function's response over its Invoke quota with this error body, which Step Functions reports as the cause.</summary>
    internal static TaskFailedException LambdaResponseOverQuota() =>
        new(LambdaResponseTooLarge,
            $"{{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size ({MaxLambdaResponseBytes} " +
            $"bytes).\",\"errorType\":\"{LambdaResponseTooLarge}\"}}");
}
