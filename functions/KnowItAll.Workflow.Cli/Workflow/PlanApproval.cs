using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Reporting;
using KnowItAll.Workflow.Functions.Handlers;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary>
/// The plan an execution waits on, as its history shows it: the approval task's scheduled parameters carry the task
/// token (where AWS itself keeps it) and the state with the plan digest. Shared by <c>workflow approve | reject</c>
/// (history from GetExecutionHistory) and <c>workflow run --require-approval</c> (history from the local executor).
/// </summary>
public sealed record PendingApproval(string StateName, string TaskToken, string PlanHash, string Environment, WorkflowState State)
{
    public const string TaskResource = "invoke.waitForTaskToken";

    /// <summary>The request from a TaskScheduled event's <c>parameters</c> (a JSON string), or null when it is not an approval request.</summary>
    public static PendingApproval? FromScheduled(string stateName, string? resource, string? parameters)
    {
        if (resource != TaskResource || parameters is null) return null;
        JsonNode? payload;
        try
        {
            payload = JsonNode.Parse(parameters)?["Payload"];
        }
        catch (JsonException)
        {
            return null;
        }
        if (payload?["approval"]?["task_token"] is not JsonValue token || token.GetValueKind() != JsonValueKind.String) return null;
        if (payload["state"] is not JsonObject state) return null;
        var typed = WorkflowState.Read(state);
        if (typed.Plan?.PlanHash is not { } hash) return null;
        var environment = payload["environment"] is JsonValue e && e.GetValueKind() == JsonValueKind.String ? e.GetValue<string>() : "?";
        return new PendingApproval(stateName, token.GetValue<string>(), hash, environment, typed);
    }

    /// <summary>
    /// The open approval request of an AWS-shaped history (oldest first): the last approval task scheduled with no
    /// succeeded, failed or timed-out event after it. Null when the execution does not wait for a decision.
    /// </summary>
    public static PendingApproval? Open(IEnumerable<JsonObject> events)
    {
        PendingApproval? open = null;
        foreach (var e in events)
        {
            var type = e["type"]?.GetValue<string>();
            if (type == "TaskScheduled" && e["taskScheduledEventDetails"] is JsonObject details)
                open = FromScheduled("", details["resource"]?.GetValue<string>(), details["parameters"]?.GetValue<string>()) ?? open;
            else if (open is not null && type is "TaskSucceeded" or "TaskFailed" or "TaskTimedOut" or "TaskSubmitFailed" or "TaskStartFailed")
                open = null;
        }
        return open;
    }

    /// <summary>What a person sees before deciding: the environment, the full hash, and the lines the notification shows.</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"environment: {Environment}";
        yield return $"plan hash:   {PlanHash}";
        if (State.Plan?.SchemaFingerprint is { } fingerprint) yield return $"planned against schema {fingerprint}";
        var deletions = NotificationComposer.DeletionLines(State.Plan).ToList();
        if (deletions.Count > 0)
        {
            yield return "APPROVING THIS PLAN DELETES DATA (declared in schema/, counted at plan time):";
            foreach (var line in deletions) yield return line;
        }
        foreach (var line in NotificationComposer.SummaryLines(State, deletions: false)) yield return line;
        if (State.Plan?.Report?.Location is { } location) yield return $"full plan: {location}";
    }

    /// <summary>SendTaskSuccess's output: the approval names the plan it is for, and the state machine applies only that plan.</summary>
    public string ApprovalOutput(string approvedBy, DateTimeOffset at) => new JsonObject
    {
        ["plan_hash"] = PlanHash,
        ["approved_by"] = approvedBy,
        ["approved_at"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    }.ToJsonString();

    public static string RejectionError => MigrationErrors.Rejected;

    public string RejectionCause(string reason, string rejectedBy) =>
        $"{rejectedBy} rejected plan {PlanHash[..Math.Min(12, PlanHash.Length)]}: {reason}";

    /// <summary>y or yes (any case) approves; anything else, or no answer, does not.</summary>
    public static bool IsYes(string? answer) => answer?.Trim().ToLowerInvariant() is "y" or "yes";

    public static string Person() => System.Environment.UserName is { Length: > 0 } user ? user : "unknown";
}
