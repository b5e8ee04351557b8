using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Json;
using KnowItAll.Migrations.Planning;
using KnowItAll.Migrations.Reporting;
using KnowItAll.Workflow.Cli.Workflow;
using KnowItAll.Workflow.Functions;
using KnowItAll.Workflow.Functions.Aws;
using KnowItAll.Workflow.Functions.Handlers;

namespace KnowItAll.Workflow.Cli;

/// <summary>
/// <c>knowitall report EXECUTION_NAME_OR_PLAN_HASH</c>: prints the full reports the functions wrote, from the local
/// report directory or the S3 bucket. For a person: each step's summary, then every statement's SQL.
/// </summary>
public static class ReportCommand
{
    private static readonly JsonSerializerOptions Indented =
        new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Build(RedactingWriter output, RedactingWriter log)
    {
        var report = new Command("report", "Print the full reports of an execution (its name or ARN) or of a plan (its hash).");
        var what = new Argument<string>("execution-or-plan-hash") { Description = "Execution name or ARN, or a 64-character plan hash" };
        var json = new Option<bool>("--json") { Description = "Print the stored report documents as JSON" };
        var reportDir = WorkflowCommands.ReportDirectoryOption();
        var bucket = new Option<string?>("--bucket")
        {
            Description = "Read from this S3 bucket instead of the report directory (the stack's ReportBucket output)"
        };
        var prefix = new Option<string>("--prefix")
        {
            Description = "Key prefix in the bucket (the environment name in deployed stacks)", DefaultValueFactory = _ => ""
        };
        var region = new Option<string?>("--region") { Description = "Region (default: AWS_REGION, else us-east-1)" };
        var endpoint =
            new Option<string?>("--endpoint-url") { Description = "S3 endpoint (default: AWS_ENDPOINT_URL, else the regional AWS endpoint)" };
        report.Arguments.Add(what);
        foreach (var option in new Option[] { json, reportDir, bucket, prefix, region, endpoint }) report.Options.Add(option);
        report.SetAction(async (result, ct) =>
        {
            using var http = new HttpClient();
            IReportStore store = result.GetValue(bucket) is { } name
                ? new S3ReportStore(http, new AwsRequestSigner(), new FunctionEnvironment
                {
                    Region = result.GetValue(region) ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1",
                    AwsEndpointUrl = result.GetValue(endpoint) ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"),
                }, name, result.GetValue(prefix)!)
                : new DirectoryReportStore(result.GetValue(reportDir)!.FullName);
            try
            {
                var documents = await ReadAsync(store, result.GetValue(what)!, ct);
                if (result.GetValue(json))
                {
                    var all = new JsonObject();
                    foreach (var (step, document) in documents) all[step] = document;
                    await output.WriteLineAsync(all.ToJsonString(Indented));
                }
                else await output.WriteAsync(Describe(documents));
                return ExitCodes.Success;
            }
            catch (MigrationException e)
            {
                await log.WriteLineAsync($"error: {e.ErrorName}: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return report;
    }

    /// <summary>The stored documents by step: one plan for a hash, every step written for an execution.</summary>
    public static async Task<List<(string Step, JsonObject Document)>> ReadAsync(IReportStore store, string what, CancellationToken ct)
    {
        var keys = PlanHasher.IsWellFormed(what)
            ? [(ReportKeys.Plan, ReportKeys.ForPlan(what))]
            : ReportKeys.Steps.Select(step => (step, ReportKeys.ForStep(ReportKeys.ExecutionNameOf(what), step))).ToList();
        var found = new List<(string, JsonObject)>();
        foreach (var (step, key) in keys)
        {
            if (await store.ReadAsync(key, ct) is not { } bytes) continue;
            found.Add((step, JsonNode.Parse(bytes) as JsonObject
                ?? throw new MigrationException(MigrationErrors.InvalidInput, $"{store.Describe(key)} is not a report")));
        }
        if (found.Count == 0)
            throw new MigrationException(MigrationErrors.InvalidInput,
                $"no report for '{what}' in {store.Describe(keys[0].Item2)[..^keys[0].Item2.Length]} (looked for " +
                $"{string.Join(", ", keys.Select(k => k.Item2))})");
        return found;
    }

    /// <summary>Each step's summary (the digest lines every view shares), then the plan's statements in full.</summary>
    public static string Describe(IReadOnlyList<(string Step, JsonObject Document)> documents)
    {
        var text = new StringBuilder();
        var digests = new JsonObject();
        MigrationPlan? plan = null;
        foreach (var (step, document) in documents)
        {
            text.AppendLine($"{step} report of {document["execution_name"]}, written {document["written_at"]}");
            var body = document["result"]?.ToJsonString() ?? "null";
            digests[step] = step switch
            {
                ReportKeys.Validate => JsonSerializer.SerializeToNode(DigestBuilder.Of(Parse(body, MigrationJsonContext.Default.ValidationResult),
                    null), ReportJsonContext.Default.ValidationDigest),
                ReportKeys.Plan => JsonSerializer.SerializeToNode(DigestBuilder.Of(plan = Parse(body, MigrationJsonContext.Default.MigrationPlan),
                    null), ReportJsonContext.Default.PlanDigest),
                ReportKeys.Apply => JsonSerializer.SerializeToNode(DigestBuilder.Of(Parse(body, MigrationJsonContext.Default.ApplyResult), null),
                    ReportJsonContext.Default.ApplyDigest),
                _ => JsonSerializer.SerializeToNode(DigestBuilder.Of(Parse(body, MigrationJsonContext.Default.PermissionReport), null),
                    ReportJsonContext.Default.PermissionDigest),
            };
        }
        text.AppendLine();
        foreach (var line in NotificationComposer.SummaryLines(digests).Where(l => !l.StartsWith("  ", StringComparison.Ordinal)))
            text.AppendLine(line);
        if (plan is not null)
        {
            text.AppendLine();
            text.AppendLine($"-- plan {plan.PlanHash}: {plan.Statements.Count} statements against schema {plan.SchemaFingerprint}");
            foreach (var s in plan.Statements)
            {
                var hazards = s.Hazards.Count == 0 ? "" : "; hazards: " +
                    string.Join(", ", s.Hazards.Select(h => $"{h.Code.ToWire()} ({h.Message})"));
                text.AppendLine(
                    $"-- {s.Order}. {s.Kind.ToWire()} {s.ObjectName}: lock {s.Lock.ToWire()}{(s.Transactional ? "" : ", outside the " +
                        "transaction")}{hazards}");
                text.AppendLine(s.Sql.TrimEnd().TrimEnd(';') + ";");
            }
            foreach (var h in plan.Blocking) text.AppendLine($"-- BLOCKED {h.Code.ToWire()}: {h.Message}");
            foreach (var d in plan.Drift) text.AppendLine($"-- drift (reported, never changed): {d.Kind} {d.Name}: {d.Reason}");
        }
        return text.ToString();
    }

    private static T Parse<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new MigrationException(MigrationErrors.InvalidInput, $"the report holds no {typeof(T).Name}");
}
