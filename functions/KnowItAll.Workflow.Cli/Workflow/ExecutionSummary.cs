using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary>What the pipeline prints at the end of an execution: status, changes, hazards, permissions, a console link.</summary>
public static class ExecutionSummary
{
    public static string Describe(JsonObject described, string region)
    {
        var text = new StringBuilder();
        var arn = described["executionArn"]?.GetValue<string>() ?? "";
        text.AppendLine($"status: {described["status"]}");
        if (described["error"] is { } error) text.AppendLine($"error: {error}: {Cause(described["cause"]?.GetValue<string>())}");
        if (described["output"]?.GetValue<string>() is { } outputText && JsonNode.Parse(outputText) is JsonObject output)
        {
            text.AppendLine($"outcome: {output["outcome"]}");
            if (output["apply"] is JsonObject apply)
                foreach (var key in new[] { "extensions_created", "sequences_created", "tables_created", "columns_added", "indexes_created", "constraints_added", "grants_applied" })
                    if (apply[key] is JsonArray items && items.Count > 0) text.AppendLine($"{key.Replace('_', ' ')}: {string.Join(", ", items)}");
            var hazards = (output["plan"]?["statements"] as JsonArray)?.OfType<JsonObject>()
                .SelectMany(s => (s["hazards"] as JsonArray ?? []).Select(h => $"{s["object_name"]}: {h?["code"]}")).ToList() ?? [];
            if (hazards.Count > 0) text.AppendLine($"hazards: {string.Join("; ", hazards)}");
            if (output["verify_permissions"] is JsonObject permissions)
                text.AppendLine($"permissions of {permissions["role"]}: {(permissions["success"]?.GetValue<bool>() == true ? "all present" : "MISSING")}");
        }
        text.Append($"console: https://{region}.console.aws.amazon.com/states/home?region={region}#/v2/executions/details/{arn}");
        return text.ToString();
    }

    private static string? Cause(string? cause)
    {
        if (cause is null || !cause.StartsWith('{')) return cause;
        try
        {
            return JsonNode.Parse(cause)?["errorMessage"]?.GetValue<string>() ?? cause;
        }
        catch (JsonException)
        {
            return cause;
        }
    }
}
