using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine;

/// <summary>How a callback task ended: the output of SendTaskSuccess, or the error and cause of SendTaskFailure.</summary>
public sealed record TaskCallback(JsonNode? Output, string? Error, string? Cause)
{
    public bool Succeeded => Error is null;
}

/// <summary>A callback request refused as Step Functions refuses it; <see cref="Type"/> is AWS's exception name.</summary>
public sealed class TaskTokenException(string type, string message) : Exception(message)
{
    public const string InvalidToken = "InvalidToken";
    public const string TaskDoesNotExist = "TaskDoesNotExist";
    public const string TaskTimedOut = "TaskTimedOut";
    public const string InvalidOutput = "InvalidOutput";
    public const string Validation = "ValidationException";

    public string Type { get; } = type;
}

/// <summary>
/// The task tokens of <c>.waitForTaskToken</c> tasks: issued when such a task starts, settled by SendTaskSuccess or
/// SendTaskFailure, kept alive by SendTaskHeartbeat. As in AWS, a token that is not one of ours is InvalidToken, a
/// token of a task that has closed (succeeded, failed, timed out, stopped) is TaskTimedOut, and a well-formed token
/// this endpoint never issued is TaskDoesNotExist.
/// </summary>
public sealed class TaskTokens
{
    /// <summary>AWS's limits on SendTaskSuccess's output and SendTaskFailure's error and cause.</summary>
    public const int MaxOutputBytes = Quotas.MaxPayloadBytes;
    public const int MaxErrorChars = 256;
    public const int MaxCauseChars = 32768;

    private const int TokenBytes = 66;
    private readonly Dictionary<string, PendingTask> _tasks = new(StringComparer.Ordinal);

    /// <summary>A fresh token for a task that is about to wait; it stays open until settled or closed.</summary>
    public PendingTask Issue(string executionArn, string stateName)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenBytes));
        var task = new PendingTask(token, executionArn, stateName);
        lock (_tasks) _tasks[token] = task;
        return task;
    }

    public void Succeed(string token, string output)
    {
        if (Encoding.UTF8.GetByteCount(output) > MaxOutputBytes)
            throw new TaskTokenException(TaskTokenException.Validation,
                "1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to " +
                $"{MaxOutputBytes}");
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(output);
        }
        catch (JsonException e)
        {
            throw new TaskTokenException(TaskTokenException.InvalidOutput, $"Invalid Output: {e.Message}");
        }
        Settle(token, new TaskCallback(parsed, null, null));
    }

    public void Fail(string token, string? error, string? cause)
    {
        if (error?.Length > MaxErrorChars)
            throw new TaskTokenException(TaskTokenException.Validation,
                "1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to " +
                $"{MaxErrorChars}");
        if (cause?.Length > MaxCauseChars)
            throw new TaskTokenException(TaskTokenException.Validation,
                "1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to " +
                $"{MaxCauseChars}");
        Settle(token, new TaskCallback(null, error ?? "", cause ?? ""));
    }

    public void Heartbeat(string token)
    {
        if (!Find(token).TryBeat()) throw Closed();
    }

    private void Settle(string token, TaskCallback callback)
    {
        if (!Find(token).TryComplete(callback)) throw Closed();
    }

    private PendingTask Find(string token)
    {
        if (!WellFormed(token))
            throw new TaskTokenException(TaskTokenException.InvalidToken, "Invalid Token: 'the task token is not one Step Functions issued'");
        lock (_tasks)
            return _tasks.TryGetValue(token, out var task) ? task
                : throw new TaskTokenException(TaskTokenException.TaskDoesNotExist, "Task Does Not Exist: 'no task of this endpoint has this token'");
    }

    private static TaskTokenException Closed() =>
        new(TaskTokenException.TaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'");

    private static bool WellFormed(string token)
    {
        var bytes = new byte[TokenBytes];
        return token.Length is > 0 and <= 1024 && Convert.TryFromBase64String(token, bytes, out var written) && written == TokenBytes;
    }
}

/// <summary>One waiting task: its token, the callback it is waiting for, and its heartbeats.</summary>
public sealed class PendingTask(string token, string executionArn, string stateName)
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<TaskCallback> _callback = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action? _onHeartbeat;
    private bool _closed;

    public string Token { get; } = token;
    public string ExecutionArn { get; } = executionArn;
    public string StateName { get; } = stateName;

    public Task<TaskCallback> Callback => _callback.Task;

    /// <summary>Ends the wait for any reason but a callback (timeout, stop): every later callback for the token is TaskTimedOut.</summary>
    public void Close()
    {
        lock (_gate) _closed = true;
    }

    internal void OnHeartbeat(Action beat)
    {
        lock (_gate) _onHeartbeat = beat;
    }

    internal bool TryBeat()
    {
        lock (_gate)
        {
            if (_closed) return false;
            _onHeartbeat?.Invoke();
            return true;
        }
    }

    internal bool TryComplete(TaskCallback callback)
    {
        lock (_gate)
        {
            if (_closed) return false;
            _closed = true;
            _callback.TrySetResult(callback);
            return true;
        }
    }
}
