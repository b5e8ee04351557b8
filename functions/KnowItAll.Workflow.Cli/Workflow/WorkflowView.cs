using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations.Planning;
using KnowItAll.Migrations.Reporting;
using KnowItAll.StateMachine;
using KnowItAll.Workflow.Functions;
using KnowItAll.Workflow.Functions.Handlers;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary>
/// What <c>workflow run</c> shows. For a person: the path taken, one line per state with its duration, then the
/// outcome and the notification once; its length does not depend on the schema's size. With <c>--json</c>: the
/// execution with its history, which is as bounded as the state it records.
/// </summary>
public sealed class WorkflowView(TextWriter output, bool json, string reportHint) : INotificationPublisher
{
    private static readonly JsonSerializerOptions Indented =
        new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<string, DateTimeOffset> _entered = [];
    private Notification? _notification;

    public void OnEvent(HistoryEvent e)
    {
        if (json) return;
        lock (_entered)
        {
            if (e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            {
                _entered[e.StateName!] = e.Timestamp;
                if (e.Type == "FailStateEntered") output.WriteLine($"  ✘ {e.StateName}");
            }
            else if (e.Type.EndsWith("StateExited", StringComparison.Ordinal) && _entered.TryGetValue(e.StateName!, out var start))
                output.WriteLine($"  ✔ {e.StateName,-24} {(e.Timestamp - start).TotalMilliseconds,6:0} ms");
            else if (e.Type is "TaskFailed" or "LambdaFunctionFailed" or "TaskTimedOut" or "LambdaFunctionTimedOut")
                output.WriteLine($"    {e.StateName}: {e.Details["error"]}");
        }
    }

    /// <summary>The local run's notification: kept and shown once at the end, after the path.</summary>
    public Task<string?> PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        lock (_entered) _notification = notification;
        return Task.FromResult<string?>(null);
    }

    public async Task FinishAsync(ExecutionResult execution)
    {
        if (json)
        {
            await output.WriteLineAsync(Document(execution).ToJsonString(Indented));
            return;
        }
        await output.WriteLineAsync();
        var state = execution.Output is JsonObject finalState ? WorkflowState.Read(finalState) : null;
        var outcome = state?.Outcome?.ToWire();
        await output.WriteLineAsync(
            $"{execution.Status}{(outcome is null ? "" : ": " + outcome)} in {(execution.StopDate - execution.StartDate).TotalMilliseconds:0} ms " +
            $"({execution.Name})");
        if (execution.Error is not null)
            await output.WriteLineAsync($"error: {execution.Error}: {NotificationComposer.Cause(execution.Cause)}");
        if (_notification is { } sent)
        {
            await output.WriteLineAsync($"notification: {sent.Subject}");
            foreach (var line in sent.Body.TrimEnd().Split('\n')) await output.WriteLineAsync("  " + line.TrimEnd('\r'));
        }
        else if (state is not null)
        {
            foreach (var line in NotificationComposer.SummaryLines(state)) await output.WriteLineAsync(line);
        }
        if (execution.Status != ExecutionStatus.Running && HasReports(execution))
            await output.WriteLineAsync($"full reports: {reportHint.Replace("{name}", execution.Name, StringComparison.Ordinal)}");
    }

    /// <summary>Whether any step's digest names a report (a failed execution has no output, but its earlier steps wrote theirs).</summary>
    private static bool HasReports(ExecutionResult execution) =>
        execution.History.Any(e => e.Type is "LambdaFunctionSucceeded" or "TaskSucceeded"
            && e.Details["output"] is JsonValue output && JsonNode.Parse(output.GetValue<string>()) is JsonObject { } digest
            && digest["report"] is JsonObject);

    private static JsonObject Document(ExecutionResult execution)
    {
        var history = new JsonArray();
        foreach (var e in execution.History)
            history.Add((JsonNode)new JsonObject
            {
                ["id"] = e.Id, ["previous_event_id"] = e.PreviousEventId, ["timestamp"] = e.Timestamp.ToString("O", CultureInfo.InvariantCulture),
                ["type"] = e.Type, ["state"] = e.StateName, ["details"] = e.Details.DeepClone(),
            });
        return new JsonObject
        {
            ["execution_arn"] = execution.ExecutionArn, ["name"] = execution.Name, ["status"] = execution.Status,
            ["output"] = execution.Output?.DeepClone(),
            ["error"] = execution.Error, ["cause"] = execution.Cause, ["history"] = history,
        };
    }
}
