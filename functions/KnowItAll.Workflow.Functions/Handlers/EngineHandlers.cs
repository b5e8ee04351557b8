using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Reporting;
using KnowItAll.Workflow.Functions.Telemetry;

namespace KnowItAll.Workflow.Functions.Handlers;

public sealed class ValidateHandler : IFunctionHandler
{
    public string Name => "Validate";

    public async Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken)
    {
        var result = await services.WithEngineAsync(e => e.ValidateAsync(cancellationToken), cancellationToken);
        var digest = await services.Reports.ValidationAsync(result, EventFields.ExecutionName(input), cancellationToken);
        return JsonSerializer.SerializeToNode(digest, ReportJsonContext.Default.ValidationDigest)!;
    }
}

public sealed class PlanHandler : IFunctionHandler
{
    public string Name => "Plan";

    public async Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken)
    {
        var plan = await services.WithEngineAsync(e => e.PlanAsync(cancellationToken), cancellationToken);
        var digest = await services.Reports.PlanAsync(plan, EventFields.ExecutionName(input), cancellationToken);
        return JsonSerializer.SerializeToNode(digest, ReportJsonContext.Default.PlanDigest)!;
    }
}

public sealed class ApplyHandler : IFunctionHandler
{
    public string Name => "Apply";

    public async Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken)
    {
        // The state machine decides dry runs and never calls Apply in one; an Apply asked to be one refuses rather than apply.
        if (EventFields.OptionalBool(input, "dry_run") == true)
            throw new MigrationException(MigrationErrors.InvalidInput,
                "Apply was invoked with dry_run true: a dry run stops after Plan (the state machine's Dry Run? choice); Apply always applies");
        // The state machine passes approval_required only on the path through an approval of this exact plan hash
        // ("Approved This Plan?"); the approval is then the opt-in to the plan's opt-in hazards, such as DELETES_DATA.
        var approved = EventFields.OptionalString(input, "approval_required") switch
        {
            null or "false" => false,
            "true" => true,
            var other => throw new MigrationException(MigrationErrors.InvalidInput,
                $"event field 'approval_required' must be \"true\" or \"false\", not '{other}'"),
        };
        var request = new ApplyRequest(EventFields.OptionalString(input, "plan_hash"), approved);
        var result = await services.WithEngineAsync(e => e.ApplyAsync(request, null, cancellationToken), cancellationToken);
        services.Metrics.Record([(MetricNames.MigrationSuccess, 1, "Count"), (MetricNames.ChangesApplied, result.StatementsExecuted, "Count"),
            (MetricNames.MigrationDuration, result.DurationMs, "Milliseconds")]);
        var digest = await services.Reports.ApplyAsync(result, EventFields.ExecutionName(input), cancellationToken);
        return JsonSerializer.SerializeToNode(digest, ReportJsonContext.Default.ApplyDigest)!;
    }
}

public sealed class VerifyPermissionsHandler : IFunctionHandler
{
    public string Name => "VerifyPermissions";

    public async Task<JsonNode> HandleAsync(JsonObject input, FunctionServices services, CancellationToken cancellationToken)
    {
        var report = await services.WithEngineAsync(e => e.VerifyPermissionsAsync(cancellationToken), cancellationToken);
        var digest = await services.Reports.PermissionsAsync(report, EventFields.ExecutionName(input), cancellationToken);
        return JsonSerializer.SerializeToNode(digest, ReportJsonContext.Default.PermissionDigest)!;
    }
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

    /// <summary>The execution the state machine runs this step for (its reports are kept under that name); absent on a direct invocation.</summary>
    public static string? ExecutionName(JsonObject input) => OptionalString(input, "execution_name") is { } name
        ? ReportKeys.IsExecutionName(name) ? name : throw new MigrationException(MigrationErrors.InvalidInput,
            $"event field 'execution_name' must be 1-80 letters, digits, '.', '-' or '_'")
        : null;

    private static MigrationException Wrong(string name, string expected, JsonNode other) =>
        new(MigrationErrors.InvalidInput, $"event field '{name}' must be {expected}, not {other.GetValueKind().ToString().ToLowerInvariant()}");
}
