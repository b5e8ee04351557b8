using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Json;

namespace KnowItAll.Workflow.Functions.Handlers;

public sealed class ValidateHandler : IFunctionHandler
{
    public string Name => "Validate";

    public async Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeToNode(await services.WithEngineAsync(e => e.ValidateAsync(cancellationToken), cancellationToken), MigrationJsonContext.Default.ValidationResult)!;
}

public sealed class PlanHandler : IFunctionHandler
{
    public string Name => "Plan";

    public async Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeToNode(await services.WithEngineAsync(e => e.PlanAsync(cancellationToken), cancellationToken), MigrationJsonContext.Default.MigrationPlan)!;
}

public sealed class ApplyHandler : IFunctionHandler
{
    public string Name => "Apply";

    public async Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken)
    {
        var request = new ApplyRequest(EventFields.OptionalBool(input, "dry_run") ?? false, EventFields.OptionalString(input, "plan_hash"));
        var result = await services.WithEngineAsync(e => e.ApplyAsync(request, null, cancellationToken), cancellationToken);
        services.Metrics.Record(result.DryRun ? [] : [("MigrationSuccess", 1, "Count"), ("ChangesApplied", result.StatementsExecuted, "Count"), ("MigrationDuration", result.DurationMs, "Milliseconds")]);
        return JsonSerializer.SerializeToNode(result, MigrationJsonContext.Default.ApplyResult)!;
    }
}

public sealed class VerifyPermissionsHandler : IFunctionHandler
{
    public string Name => "VerifyPermissions";

    public async Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeToNode(await services.WithEngineAsync(e => e.VerifyPermissionsAsync(cancellationToken), cancellationToken), MigrationJsonContext.Default.PermissionReport)!;
}

/// <summary>Reads event fields strictly: a field of the wrong type is an error naming it, never a guess.</summary>
public static class EventFields
{
    public static bool? OptionalBool(JsonObject input, string name) => input[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        var other => throw Wrong(name, "true or false", other),
    };

    public static string? OptionalString(JsonObject input, string name) => input[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw Wrong(name, "a string", other),
    };

    private static MigrationException Wrong(string name, string expected, JsonNode other) =>
        new(MigrationErrors.InvalidInput, $"event field '{name}' must be {expected}, not {other.GetValueKind().ToString().ToLowerInvariant()}");
}
