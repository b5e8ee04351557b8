using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations.Planning;
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

    public static Notification Compose(JsonObject state, string environment) => Compose(WorkflowState.Read(state), environment);

    public static Notification Compose(WorkflowState state, string environment)
    {
        var action = state.Action?.ToWire() ?? "unknown";
        var error = state.Error;
        var outcome = error is not null ? "FAILED" : state.Outcome?.ToWire() ?? "SUCCEEDED";
        var status = error is not null ? "FAILED" : "SUCCEEDED";

        var detail = error is not null ? error.Error ?? "unknown error" : state.Outcome switch
        {
            WorkflowOutcome.Applied => $"{state.Apply?.StatementsExecuted ?? 0} changes",
            WorkflowOutcome.DryRun or WorkflowOutcome.Planned =>
                $"{(state.DryRun ? "dry run, " : "")}{state.Plan?.StatementCount ?? 0} changes planned",
            WorkflowOutcome.NoChanges => "no changes",
            WorkflowOutcome.Validated => state.Validate?.SchemaValid == true ? "schema valid"
            : $"{state.Validate?.MissingCount ?? 0} changes pending",
            _ => outcome.ToLowerInvariant(),
        };
        var subject = $"[{DigestBuilder.Cut(environment, 20)}] Schema migration {status}: {detail}";
        if (subject.Length > MaxSubjectLength) subject = subject[..(MaxSubjectLength - 1)] + "…";

        var body = new StringBuilder();
        body.AppendLine($"Schema migration {status} ({outcome}) in {DigestBuilder.Cut(environment, 40)}.");
        body.AppendLine($"Action: {action}   Dry run: {(state.DryRun ? "yes" : "no")}");
        if (state.Execution?.Id is { } execution) body.AppendLine($"Execution: {DigestBuilder.Cut(execution, 300)}");
        foreach (var line in SummaryLines(state)) body.AppendLine(line);
        if (error is not null)
        {
            body.AppendLine($"Error: {DigestBuilder.Cut(error.Error ?? "unknown", 200)}");
            body.AppendLine($"Cause: {DigestBuilder.Cut(Cause(error.Cause) ?? "", MaxCauseChars)}");
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
            ["dry_run"] = state.DryRun ? "true" : "false",
        });
    }

    /// <summary>
    /// The approval request: which plan (full hash and the schema fingerprint it was planned against), what it does
    /// (counts, hazards, the first statements), where the whole plan is, how long it waits, and the commands that decide.
    /// Bounded like every notification; it never carries the task token.
    /// </summary>
    public static Notification ComposeApprovalRequest(WorkflowState state, string environment, int timeoutSeconds)
    {
        var plan = state.Plan;
        var hash = plan?.PlanHash ?? "?";
        var execution = state.Execution?.Id ?? state.Execution?.Name ?? "EXECUTION";
        var subject = $"[{DigestBuilder.Cut(environment, 20)}] Approval needed: plan {Short(hash)}, {plan?.StatementCount ?? 0} statements";
        if (subject.Length > MaxSubjectLength) subject = subject[..(MaxSubjectLength - 1)] + "…";

        var body = new StringBuilder();
        body.AppendLine($"A schema migration in {DigestBuilder.Cut(environment, 40)} waits for approval. Nothing is applied before a decision.");
        body.AppendLine($"Execution: {DigestBuilder.Cut(execution, 300)}");
        body.AppendLine($"Plan hash: {DigestBuilder.Cut(hash, 100)}");
        body.AppendLine($"Planned against schema: {DigestBuilder.Cut(plan?.SchemaFingerprint ?? "?", 100)}");
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
        var started = DateTimeOffset.TryParse(state.Execution?.StartTime, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.RoundtripKind, out var start) ? $" (started {start:u})" : "";
        body.AppendLine(
            $"It waits {waits.TotalHours:0.##} h for a decision{started}, then fails as {KnowItAll.Migrations.MigrationErrors.ApprovalTimedOut}.");
        body.AppendLine("Approving sends this plan's hash: if the database changed meanwhile, Apply refuses the plan and applies nothing.");
        body.AppendLine($"Approve: knowitall workflow approve {DigestBuilder.Cut(execution, 300)}");
        body.AppendLine($"Reject:  knowitall workflow reject {DigestBuilder.Cut(execution, 300)} --reason \"...\"");

        return new Notification(subject, Bounded(body.ToString()), new Dictionary<string, string>
        {
            ["status"] = "WAITING_FOR_APPROVAL",
            ["environment"] = DigestBuilder.Cut(environment, 100),
            ["action"] = DigestBuilder.Cut(state.Action?.ToWire() ?? "unknown", 100),
            ["dry_run"] = "false",
        });
    }

    /// <summary>
    /// What each step found, from the bounded digests in the state: the lines the notification, <c>workflow run</c>
    /// and <c>workflow start --wait</c> all print.
    /// </summary>
    public static IEnumerable<string> SummaryLines(JsonObject state, bool deletions = true) => SummaryLines(WorkflowState.Read(state), deletions);

    /// <param name="deletions">False where the caller has listed the deleting statements first already (the approval request).</param>
    public static IEnumerable<string> SummaryLines(WorkflowState state, bool deletions = true)
    {
        if (state.Validate is { } validate)
            yield return $"Validate: {validate.ObjectsChecked} objects checked, {validate.MissingCount} missing, {validate.DriftCount} drift";
        if (state.Plan is { } plan)
        {
            yield return $"Plan {Short(plan.PlanHash)}: {plan.StatementCount} statements{Counts(" (", plan.Changes, ")")}, against schema " +
                $"{Short(plan.SchemaFingerprint)}";
            if (plan.HazardCounts is { Count: > 0 }) yield return $"Hazards: {Counts("", plan.HazardCounts, "")}";
            var deleting = deletions ? DeletionLines(plan).ToList() : [];
            if (deleting.Count > 0)
            {
                yield return "Deletes data:";
                foreach (var line in deleting) yield return line;
            }
            var statements = (plan.Statements ?? []).Take(MaxStatements).ToList();
            foreach (var s in statements)
            {
                var hazards = s.Hazards ?? [];
                yield return $"  {s.Order,3}. {DigestBuilder.Cut($"{s.Kind} {s.ObjectName}", MaxStatementChars)}  [lock " +
                    $"{s.Lock}{(hazards.Count > 0 ? "; " + string.Join(", ", hazards) : "")}]";
            }
            var more = plan.StatementCount - statements.Count;
            if (more > 0) yield return $"  … {more} more statements in the plan report";
        }
        if (state.Apply is { } apply)
            yield return $"Apply: {apply.StatementsExecuted} statements executed in {apply.DurationMs} ms, {apply.LockRetries} lock retries" +
                         (apply.HistoryId is { } h ? $", history #{h}" : "");
        if (state.VerifyPermissions is { } permissions)
        {
            if (permissions.Success) yield return $"Permissions of {permissions.Role}: all {permissions.Checked} checked privileges present";
            else
            {
                var first = (permissions.Missing ?? []).Take(5).Select(m => $"{m.Privilege} on {m.Kind} {m.Object}");
                yield return $"Permissions of {permissions.Role}: {permissions.MissingCount} MISSING (e.g. {string.Join("; ", first)})";
            }
        }
    }

    /// <summary>The plan's data-deleting statements, each with the amount it deletes, as the plan digest lists them.</summary>
    public static IEnumerable<string> DeletionLines(PlanDigest? plan)
    {
        foreach (var d in plan?.Deletions ?? [])
            yield return $"  {d.Order,3}. {DigestBuilder.Cut(d.Message, DigestBuilder.MaxTextChars + 40)}";
        if (plan?.DeletionsTruncated is > 0 and var more) yield return $"  … {more} more deleting statements in the plan report";
    }

    /// <summary>Where each step's full report is, as the digests name it.</summary>
    public static IEnumerable<string> ReportLines(JsonObject state) => ReportLines(WorkflowState.Read(state));

    public static IEnumerable<string> ReportLines(WorkflowState state)
    {
        foreach (var (step, report) in new[] { (ReportKeys.Validate, state.Validate?.Report), (ReportKeys.Plan, state.Plan?.Report),
                     (ReportKeys.Apply, state.Apply?.Report), (ReportKeys.VerifyPermissions, state.VerifyPermissions?.Report) })
            if (report?.Location is { } location)
                yield return $"  {step}: {DigestBuilder.Cut(location, 500)}";
    }

    private static string Bounded(string body)
    {
        if (Encoding.UTF8.GetByteCount(body) <= MaxBodyBytes) return body;
        // A UTF-16 unit is at most 3 UTF-8 bytes, so this many characters always fit.
        var cut = body[..Math.Min(body.Length, MaxBodyBytes / 3 - 100)];
        return cut + "\n… (cut at the notification's size budget; the full reports have everything)\n";
    }

    private static string Counts(string before, IReadOnlyDictionary<string, int>? counts, string after) => counts is { Count: > 0 }
        ? before + string.Join(", ", counts.Select(p => $"{p.Value} {p.Key}")) + after
        : "";

    private static string Short(string? hash) => hash is null ? "?" : hash.Length > 12 ? hash[..12] : hash;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>Step Functions passes a Lambda error's Cause as the JSON error body; the readable part is its errorMessage.</summary>
    public static string? Cause(JsonNode? cause) => Cause(Text(cause));

    public static string? Cause(string? text)
    {
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
