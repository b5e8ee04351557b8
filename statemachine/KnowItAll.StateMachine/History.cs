using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine;

/// <summary>One history event, named and shaped as AWS Step Functions' GetExecutionHistory returns it.</summary>
public sealed record HistoryEvent(long Id, long PreviousEventId, DateTimeOffset Timestamp, string Type, string? StateName, JsonObject Details);

public sealed record ExecutionResult(
    string ExecutionArn,
    string Name,
    string Status,
    JsonNode? Input,
    JsonNode? Output,
    string? Error,
    string? Cause,
    DateTimeOffset StartDate,
    DateTimeOffset StopDate,
    IReadOnlyList<HistoryEvent> History);

public static class ExecutionStatus
{
    public const string Running = "RUNNING";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
    public const string TimedOut = "TIMED_OUT";
    public const string Aborted = "ABORTED";
}

/// <summary>Resolves Task states: the in-process functions, or anything else a caller provides.</summary>
public interface ITaskInvoker
{
    /// <summary>Runs the task; a failure is a <see cref="TaskFailedException"/> carrying the error name and cause.</summary>
    Task<JsonNode?> InvokeAsync(string resource, JsonNode? input, TaskContext context, CancellationToken cancellationToken);
}

public sealed record TaskContext(string ExecutionArn, string StateName, int Attempt);
