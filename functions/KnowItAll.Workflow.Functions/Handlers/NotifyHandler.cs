using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Reporting;

namespace KnowItAll.Workflow.Functions.Handlers;

/// <summary>Tells subscribers what happened, from the whole execution state the state machine passes in.</summary>
public sealed class NotifyHandler : IFunctionHandler
{
    public string Name => "Notify";

    public async Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken)
    {
        var state = WorkflowState.Read(StateOf(input));
        var notification = input["approval"] is { } approval
            ? NotificationComposer.ComposeApprovalRequest(state, services.Environment.EnvironmentName, ApprovalTimeout(approval))
            : NotificationComposer.Compose(state, services.Environment.EnvironmentName);
        var messageId = await services.Publisher.PublishAsync(notification, cancellationToken);
        var digest = new NotifyDigest(messageId, notification.Subject, notification.Attributes["status"]);
        return JsonSerializer.SerializeToNode(digest, ReportJsonContext.Default.NotifyDigest)!;
    }

    /// <summary>
    /// The approval request's settings. Step Functions requires the task token in the payload of a waiting task, but the
    /// request never repeats it: approve and reject read it from the execution's history, which needs
    /// states:GetExecutionHistory on this state machine (the approver role's grant), so the topic's subscribers cannot act
    /// on the message alone and the token lands nowhere AWS does not already put it.
    /// </summary>
    private static int ApprovalTimeout(JsonNode approval)
    {
        if (approval is not JsonObject fields) throw new MigrationException(MigrationErrors.InvalidInput, "event field 'approval' must be an object");
        if (EventFields.OptionalString(fields, "task_token") is not { Length: > 0 })
            throw new MigrationException(MigrationErrors.InvalidInput,
                "event field 'approval.task_token' is missing: the approval request must come from a .waitForTaskToken task");
        return fields["timeout_seconds"] is JsonValue v && v.TryGetValue<int>(out var seconds) && seconds > 0 ? seconds
            : throw new MigrationException(MigrationErrors.InvalidInput, "event field 'approval.timeout_seconds' must be a positive integer");
    }

    /// <summary>The state machine passes {"state": the execution state, "execution": its ids}; a bare state is accepted too.</summary>
    public static JsonObject StateOf(JsonObject input)
    {
        if (input["state"] is not JsonObject state) return input;
        var merged = (JsonObject)state.DeepClone();
        if (input["execution"] is JsonObject execution) merged["execution"] = execution.DeepClone();
        return merged;
    }
}
