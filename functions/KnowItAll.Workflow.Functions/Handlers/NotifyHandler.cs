using System.Text.Json.Nodes;

namespace KnowItAll.Workflow.Functions.Handlers;

/// <summary>Tells subscribers what happened, from the whole execution state the state machine passes in.</summary>
public sealed class NotifyHandler : IFunctionHandler
{
    public string Name => "Notify";

    public async Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken)
    {
        var notification = NotificationComposer.Compose(StateOf(input), services.Environment.EnvironmentName);
        var messageId = await services.Publisher.PublishAsync(notification, cancellationToken);
        return new JsonObject
        {
            ["success"] = true,
            ["notified"] = true,
            ["message_id"] = messageId,
            ["subject"] = notification.Subject,
            ["status"] = notification.Attributes["status"],
        };
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
