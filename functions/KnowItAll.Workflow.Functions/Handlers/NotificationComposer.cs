using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KnowItAll.Workflow.Functions.Handlers;

/// <summary>
/// Turns the execution state into a subject (≤ 100 characters, SNS's limit), a readable body and filterable
/// attributes. The state holds results only, never credentials, and nothing else is added.
/// </summary>
public static class NotificationComposer
{
    public const int MaxSubjectLength = 100;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Notification Compose(JsonObject state, string environment)
    {
        var action = Text(state["action"]) ?? "unknown";
        var dryRun = state["dry_run"] is JsonValue d && d.GetValueKind() == JsonValueKind.True;
        var error = state["error"] as JsonObject;
        var outcome = error is not null ? "FAILED" : Text(state["outcome"]) ?? "SUCCEEDED";
        var status = error is not null ? "FAILED" : "SUCCEEDED";
        var statements = state["plan"]?["statements"] as JsonArray;
        var executed = Number(state["apply"]?["plan"]?["summary"]?["change_count"]);

        var detail = outcome switch
        {
            "FAILED" => Text(error?["Error"]) ?? "unknown error",
            "APPLIED" => $"{executed} changes",
            "DRY_RUN" or "PLANNED" => $"{(dryRun ? "dry run, " : "")}{statements?.Count ?? 0} changes planned",
            "NO_CHANGES" => "no changes",
            "VALIDATED" => state["validate"]?["schema_valid"] is JsonValue v && v.GetValueKind() == JsonValueKind.True ? "schema valid" : "changes pending",
            _ => outcome.ToLowerInvariant(),
        };
        var subject = $"[{environment}] Schema migration {status}: {detail}";
        if (subject.Length > MaxSubjectLength) subject = subject[..(MaxSubjectLength - 1)] + "…";

        var body = new StringBuilder();
        body.AppendLine($"Schema migration {status} ({outcome}) in {environment}.");
        body.AppendLine($"Action: {action}   Dry run: {(dryRun ? "yes" : "no")}");
        if (Text(state["execution"]?["id"]) is { } execution) body.AppendLine($"Execution: {execution}");
        body.AppendLine();
        if (error is not null)
        {
            body.AppendLine($"Error: {Text(error["Error"])}");
            body.AppendLine($"Cause: {Cause(error["Cause"])}");
        }
        else if (outcome is "APPLIED" or "DRY_RUN" or "PLANNED" && statements is not null)
        {
            body.AppendLine(outcome == "APPLIED" ? "Applied:" : "Planned (nothing was changed):");
            foreach (var s in statements.OfType<JsonObject>())
            {
                var hazards = (s["hazards"] as JsonArray)?.OfType<JsonObject>().Select(h => Text(h["code"])).ToList() ?? [];
                body.AppendLine($"  {Number(s["order"]),3}. {Text(s["kind"])} {Text(s["object_name"])} — lock {Text(s["lock"])}" +
                                (hazards.Count > 0 ? $"; hazards {string.Join(", ", hazards)}" : ""));
            }
            if (state["verify_permissions"] is JsonObject permissions)
                body.AppendLine($"Permissions of {Text(permissions["role"])}: {(permissions["success"] is JsonValue ok && ok.GetValueKind() == JsonValueKind.True ? "all present" : "MISSING")}");
        }
        else
        {
            body.AppendLine("No changes: the database has everything schema/ declares.");
        }
        body.AppendLine();
        body.AppendLine("Full result:");
        body.AppendLine(state.ToJsonString(Indented));

        return new Notification(subject, body.ToString(), new Dictionary<string, string>
        {
            ["status"] = status,
            ["environment"] = environment,
            ["action"] = action,
            ["dry_run"] = dryRun ? "true" : "false",
        });
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static long Number(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<long>() : 0;

    /// <summary>Step Functions passes a Lambda error's Cause as the JSON error body; the readable part is its errorMessage.</summary>
    private static string? Cause(JsonNode? cause)
    {
        var text = Text(cause);
        if (text is null || !text.StartsWith('{')) return text;
        try
        {
            return Text(JsonNode.Parse(text)?["errorMessage"]) ?? text;
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
