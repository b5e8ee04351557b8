using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine.Local;

/// <summary>One execution the local endpoint runs: live history while RUNNING, the result when it ends.</summary>
public sealed class LocalExecution(string arn, string name, string stateMachineArn, string input, DateTimeOffset started)
{
    private readonly List<HistoryEvent> _events = [];

    public string Arn { get; } = arn;
    public string Name { get; } = name;
    public string StateMachineArn { get; } = stateMachineArn;
    public string Input { get; } = input;
    public DateTimeOffset Started { get; } = started;
    public CancellationTokenSource Stop { get; } = new();
    public ExecutionResult? Result { get; private set; }
    public string Status => Result?.Status ?? ExecutionStatus.Running;

    public void Add(HistoryEvent e)
    {
        lock (_events) _events.Add(e);
    }

    public IReadOnlyList<HistoryEvent> Events
    {
        get { lock (_events) return [.. _events]; }
    }

    public void Finish(ExecutionResult result) => Result = result;

    public JsonObject Summary() => new()
    {
        ["executionArn"] = Arn,
        ["stateMachineArn"] = StateMachineArn,
        ["name"] = Name,
        ["status"] = Status,
        ["startDate"] = Epoch(Started),
        ["stopDate"] = Result is null ? null : Epoch(Result.StopDate),
    };

    public static double Epoch(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;
}
