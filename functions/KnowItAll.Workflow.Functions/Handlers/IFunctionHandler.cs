using System.Text.Json.Nodes;

namespace KnowItAll.Workflow.Functions.Handlers;

/// <summary>One Lambda function: decode the event, call the engine, encode the result. No migration logic here.</summary>
public interface IFunctionHandler
{
    string Name { get; }

    Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken);
}
