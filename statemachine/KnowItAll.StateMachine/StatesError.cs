namespace KnowItAll.StateMachine;

/// <summary>The error names of the States Language.</summary>
public static class StatesErrors
{
    public const string All = "States.ALL";
    public const string TaskFailed = "States.TaskFailed";
    public const string Timeout = "States.Timeout";
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";
    public const string Runtime = "States.Runtime";
    public const string IntrinsicFailure = "States.IntrinsicFailure";
    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";
    public const string ParameterPathFailure = "States.ParameterPathFailure";
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    public const string BranchFailed = "States.BranchFailed";
    public const string DataLimitExceeded = "States.DataLimitExceeded";
}

/// <summary>An error raised while running a state: a name Retry and Catch match on, and a cause.</summary>
public class StatesException(string error, string cause, bool terminal = false) : Exception($"{error}: {cause}")
{
    public string Error { get; } = error;
    public string Cause { get; } = cause;

    /// <summary>
    /// Fails the execution past every Retry and Catch: States.Runtime, and the quota failures AWS raises outside a
    /// task (a state's input or output over the payload quota, the history quota).
    /// </summary>
    public bool Terminal { get; } = terminal || error == StatesErrors.Runtime;
}

/// <summary>A task's own failure, thrown by an <see cref="ITaskInvoker"/>.</summary>
public sealed class TaskFailedException(string error, string cause) : StatesException(error, cause);

/// <summary>A definition the executor cannot run faithfully: rejected when loaded, never guessed at.</summary>
public sealed class DefinitionException(string message) : Exception(message);
