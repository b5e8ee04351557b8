using System.Text.Json.Nodes;

namespace KnowItAll.Workflow.Functions.Handlers;

/// <summary>Tells subscribers what happened, from the whole execution state the state machine passes in.</summary>
public sealed class NotifyHandler : IFunctionHandler
{
    public string Name => "Notify";

    public async Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken)
    {
        var notification = NotificationComposer.Compose(input, services.Environment.EnvironmentName);
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
}
