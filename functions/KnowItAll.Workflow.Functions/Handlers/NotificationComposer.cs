using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations.Reporting;

namespace KnowItAll.Workflow.Functions.Handlers;

/// <summary>
/// Turns the execution state into a subject, a readable body and filterable attributes, bounded by
/// construction: the subject fits SNS's 100 characters, and the body shows counts, the first statements within a
/// budget and where the full reports are, never the whole state, so it stays far below SNS's 256 KB at any
/// schema size. The state holds results only, never credentials, and nothing else is added.
/// </summary>
public static class NotificationComposer
{
    public const int MaxSubjectLength = 100;

    /// <summary>A quarter of SNS's 256 KB message limit: room for the attributes and any envelope.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Statements listed in the body; the plan digest and its report have the rest.</summary>
    public const int MaxStatements = 10;

    public const int MaxStatementChars = 100;
    public const int MaxCauseChars = 2000;

    public static Notification Compose(JsonObject state, string environment)
    {
        var action = Text(state["action"]) ?? "unknown";
        var dryRun = state["dry_run"] is JsonValue d && d.GetValueKind() == JsonValueKind.True;
        var error = state["error"] as JsonObject;
        var outcome = error is not null ? "FAILED" : Text(state["outcome"]) ?? "SUCCEEDED";
        var status = error is not null ? "FAILED" : "SUCCEEDED";
        var plan = state["plan"] as JsonObject;
        var apply = state["apply"] as JsonObject;

        var detail = outcome switch
        {
            "FAILED" => Text(error?["Error"]) ?? "unknown error",
            "APPLIED" => $"{Number(apply?["statements_executed"])} changes",
            "DRY_RUN" or "PLANNED" => $"{(dryRun ? "dry run, " : "")}{Number(plan?["statement_count"])} changes planned",
            "NO_CHANGES" => "no changes",
            "VALIDATED" => Bool(state["validate"]?["schema_valid"]) ? "schema valid" : $"{Number(state["validate"]?["missing_count"])} changes pending",
            _ => outcome.ToLowerInvariant(),
        };
        var subject = $"[{DigestBuilder.Cut(environment, 20)}] Schema migration {status}: {detail}";
        if (subject.Length > MaxSubjectLength) subject = subject[..(MaxSubjectLength - 1)] + "…";

        var body = new StringBuilder();
        body.AppendLine($"Schema migration {status} ({outcome}) in {DigestBuilder.Cut(environment, 40)}.");
        body.AppendLine($"Action: {action}   Dry run: {(dryRun ? "yes" : "no")}");
        if (Text(state["execution"]?["id"]) is { } execution) body.AppendLine($"Execution: {DigestBuilder.Cut(execution, 300)}");
        foreach (var line in SummaryLines(state)) body.AppendLine(line);
        if (error is not null)
        {
            body.AppendLine($"Error: {DigestBuilder.Cut(Text(error["Error"]) ?? "unknown", 200)}");
            body.AppendLine($"Cause: {DigestBuilder.Cut(Cause(error["Cause"]) ?? "", MaxCauseChars)}");
        }
        var reports = ReportLines(state).ToList();
        if (reports.Count > 0)
        {
            body.AppendLine("Full reports:");
            foreach (var line in reports) body.AppendLine(line);
        }

        return new Notification(subject, Bounded(body.ToString()), new Dictionary<string, string>
        {
            ["status"] = status,
            ["environment"] = DigestBuilder.Cut(environment, 100),
            ["action"] = DigestBuilder.Cut(action, 100),
            ["dry_run"] = dryRun ? "true" : "false",
        });
    }

    /// <summary>
    /// The approval request: which plan (full hash and the schema fingerprint it was planned against), what it does
    /// (counts, hazards, the first statements), where the whole plan is, how long it waits, and the commands that decide.
    /// Bounded like every notification; it never carries the task token.
    /// </summary>
    public static Notification ComposeApprovalRequest(JsonObject state, string environment, int timeoutSeconds)
    {
        var plan = state["plan"] as JsonObject;
        var hash = Text(plan?["plan_hash"]) ?? "?";
        var execution = Text(state["execution"]?["id"]) ?? Text(state["execution"]?["name"]) ?? "EXECUTION";
        var subject = $"[{DigestBuilder.Cut(environment, 20)}] Approval needed: plan {Short(hash)}, {Number(plan?["statement_count"])} statements";
        if (subject.Length > MaxSubjectLength) subject = subject[..(MaxSubjectLength - 1)] + "…";

        var body = new StringBuilder();
        body.AppendLine($"A schema migration in {DigestBuilder.Cut(environment, 40)} waits for approval. Nothing is applied before a decision.");
        body.AppendLine($"Execution: {DigestBuilder.Cut(execution, 300)}");
        body.AppendLine($"Plan hash: {DigestBuilder.Cut(hash, 100)}");
        body.AppendLine($"Planned against schema: {DigestBuilder.Cut(Text(plan?["schema_fingerprint"]) ?? "?", 100)}");
        var deletions = DeletionLines(plan).ToList();
        if (deletions.Count > 0)
        {
            body.AppendLine("APPROVING THIS PLAN DELETES DATA (declared in schema/, counted at plan time):");
            foreach (var line in deletions) body.AppendLine(line);
        }
        foreach (var line in SummaryLines(state, deletions: false)) body.AppendLine(line);
        var reports = ReportLines(state).ToList();
        if (reports.Count > 0)
        {
            body.AppendLine("Full plan and reports:");
            foreach (var line in reports) body.AppendLine(line);
        }
        var waits = TimeSpan.FromSeconds(timeoutSeconds);
        var started = DateTimeOffset.TryParse(Text(state["execution"]?["start_time"]), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.RoundtripKind, out var start) ? $" (started {start:u})" : "";
        body.AppendLine($"It waits {waits.TotalHours:0.##} h for a decision{started}, then fails as Migration.ApprovalTimedOut.");
        body.AppendLine("Approving sends this plan's hash: if the database changed meanwhile, Apply refuses the plan and applies nothing.");
        body.AppendLine($"Approve: knowitall workflow approve {DigestBuilder.Cut(execution, 300)}");
        body.AppendLine($"Reject:  knowitall workflow reject {DigestBuilder.Cut(execution, 300)} --reason \"...\"");

        return new Notification(subject, Bounded(body.ToString()), new Dictionary<string, string>
        {
            ["status"] = "WAITING_FOR_APPROVAL",
            ["environment"] = DigestBuilder.Cut(environment, 100),
            ["action"] = DigestBuilder.Cut(Text(state["action"]) ?? "unknown", 100),
            ["dry_run"] = "false",
        });
    }

    /// <summary>
    /// What each step found, from the bounded digests in the state: the lines the notification, <c>workflow run</c>
    /// and <c>workflow start --wait</c> all print.
    /// </summary>
    /// <param name="deletions">False where the caller has listed the deleting statements first already (the approval request).</param>
    public static IEnumerable<string> SummaryLines(JsonObject state, bool deletions = true)
    {
        if (state["validate"] is JsonObject validate)
            yield return $"Validate: {Number(validate["objects_checked"])} objects checked, {Number(validate["missing_count"])} missing, {Number(validate["drift_count"])} drift";
        if (state["plan"] is JsonObject plan)
        {
            yield return $"Plan {Short(Text(plan["plan_hash"]))}: {Number(plan["statement_count"])} statements{Counts(" (", plan["changes"], ")")}, against schema {Short(Text(plan["schema_fingerprint"]))}";
            if (plan["hazard_counts"] is JsonObject { Count: > 0 }) yield return $"Hazards: {Counts("", plan["hazard_counts"], "")}";
            var deleting = deletions ? DeletionLines(plan).ToList() : [];
            if (deleting.Count > 0)
            {
                yield return "Deletes data:";
                foreach (var line in deleting) yield return line;
            }
            var statements = (plan["statements"] as JsonArray)?.OfType<JsonObject>().Take(MaxStatements).ToList() ?? [];
            foreach (var s in statements)
            {
                var hazards = (s["hazards"] as JsonArray)?.Select(h => Text(h)).OfType<string>().ToList() ?? [];
                yield return $"  {Number(s["order"]),3}. {DigestBuilder.Cut($"{Text(s["kind"])} {Text(s["object_name"])}", MaxStatementChars)}  [lock {Text(s["lock"])}{(hazards.Count > 0 ? "; " + string.Join(", ", hazards) : "")}]";
            }
            var more = Number(plan["statement_count"]) - statements.Count;
            if (more > 0) yield return $"  … {more} more statements in the plan report";
        }
        if (state["apply"] is JsonObject apply)
            yield return $"Apply: {Number(apply["statements_executed"])} statements executed in {Number(apply["duration_ms"])} ms, {Number(apply["lock_retries"])} lock retries" +
                         (apply["history_id"] is JsonValue h ? $", history #{h}" : "");
        if (state["verify_permissions"] is JsonObject permissions)
        {
            var role = Text(permissions["role"]);
            if (Bool(permissions["success"])) yield return $"Permissions of {role}: all {Number(permissions["checked"])} checked privileges present";
            else
            {
                var first = (permissions["missing"] as JsonArray)?.OfType<JsonObject>().Take(5)
                    .Select(m => $"{Text(m["privilege"])} on {Text(m["kind"])} {Text(m["object"])}") ?? [];
                yield return $"Permissions of {role}: {Number(permissions["missing_count"])} MISSING (e.g. {string.Join("; ", first)})";
            }
        }
    }

    /// <summary>The plan's data-deleting statements, each with the amount it deletes, as the plan digest lists them.</summary>
    public static IEnumerable<string> DeletionLines(JsonObject? plan)
    {
        foreach (var d in (plan?["deletions"] as JsonArray)?.OfType<JsonObject>() ?? [])
            yield return $"  {Number(d["order"]),3}. {DigestBuilder.Cut(Text(d["message"]) ?? "", DigestBuilder.MaxTextChars + 40)}";
        if (Number(plan?["deletions_truncated"]) is > 0 and var more) yield return $"  … {more} more deleting statements in the plan report";
    }

    /// <summary>Where each step's full report is, as the digests name it.</summary>
    public static IEnumerable<string> ReportLines(JsonObject state)
    {
        foreach (var step in ReportKeys.Steps)
            if (Text(state[step]?["report"]?["location"]) is { } location)
                yield return $"  {step}: {DigestBuilder.Cut(location, 500)}";
    }

    private static string Bounded(string body)
    {
        if (Encoding.UTF8.GetByteCount(body) <= MaxBodyBytes) return body;
        // A UTF-16 unit is at most 3 UTF-8 bytes, so this many characters always fit.
        var cut = body[..Math.Min(body.Length, MaxBodyBytes / 3 - 100)];
        return cut + "\n… (cut at the notification's size budget; the full reports have everything)\n";
    }

    private static string Counts(string before, JsonNode? counts, string after) => counts is JsonObject { Count: > 0 } o
        ? before + string.Join(", ", o.Select(p => $"{Number(p.Value)} {p.Key}")) + after
        : "";

    private static string Short(string? hash) => hash is null ? "?" : hash.Length > 12 ? hash[..12] : hash;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool Bool(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    // A parsed number and one built in code (an int) read the same way.
    private static long Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), out var n) ? n : 0;

    /// <summary>Step Functions passes a Lambda error's Cause as the JSON error body; the readable part is its errorMessage.</summary>
    public static string? Cause(JsonNode? cause)
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
