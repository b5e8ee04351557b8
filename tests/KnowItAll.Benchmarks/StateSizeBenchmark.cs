using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using KnowItAll.Migrations.Embedded;
using KnowItAll.Testing;
using KnowItAll.Workflow.Cli;
using KnowItAll.Workflow.Functions.Handlers;

namespace KnowItAll.Benchmarks;

/// <summary>
/// What an execution weighs at N tables, against AWS's quotas: the largest state input or output in the history
/// (Step Functions: 262,144 bytes), the final output, and the notification (SNS: 262,144 bytes, subject ≤ 100
/// characters), for a dry run, a fresh apply and a run with nothing to do, through the real definition.
/// </summary>
public static class StateSizeBenchmark
{
    public static async Task<string> RunAsync(EmbeddedPostgres server, IReadOnlyList<int> sizes, TextWriter log)
    {
        var lines = new List<string>
        {
            "| tables | run | statements | largest state | final output | notification (subject + body) | written to the report store | time |",
            "|---:|---|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var size in sizes)
        {
            using var schema = new TempSchema();
            SyntheticSchema.WriteTo(schema.Path, size);
            using var reports = new TempReports();
            var db = await server.CreateDatabaseAsync($"state_size_{size}");
            foreach (var (run, args) in new[] { ("dry run", new[] { "--dry-run" }), ("fresh apply", Array.Empty<string>()),
                ("no changes", Array.Empty<string>()) })
            {
                var storedBefore = Stored(reports.Path);
                var clock = Stopwatch.StartNew();
                var output = new StringWriter();
                var errors = new StringWriter();
                var exit = await KnowItAllCli.RunAsync(["workflow", "run", "--json", "--action", "apply", "--connection", db, "--schema", schema.Path,
                    "--report-dir", reports.Path, .. args], output, errors);
                clock.Stop();
                var execution = JsonNode.Parse(output.ToString())!.AsObject();
                if (exit != 0) throw new InvalidOperationException($"{size} tables, {run}: {execution["error"]}: {execution["cause"]} {errors}");
                var line =
                    $"| {size:N0} | {run} | {Statements(execution)} | {Largest(execution):N0} B | {Bytes(execution["output"]!.ToJsonString()):N0} " +
                    $"B | {Notification(execution):N0} B | {Stored(reports.Path) - storedBefore:N0} B | {clock.ElapsedMilliseconds:N0} ms |";
                lines.Add(line);
                log.WriteLine(line);
            }
        }
        return string.Join('\n', lines);
    }

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    private static string Statements(JsonObject execution) => execution["output"]!["plan"]?["statement_count"]?.ToJsonString() ?? "–";

    private static int Largest(JsonObject execution) => execution["history"]!.AsArray()
        .SelectMany(e => new[] { e!["details"]!["input"], e["details"]!["output"] })
        .OfType<JsonValue>().Select(v => Bytes(v.GetValue<string>())).Max();

    /// <summary>The notification Notify sends for this execution: composed from the very input the state machine gave it.</summary>
    private static int Notification(JsonObject execution)
    {
        var scheduled = execution["history"]!.AsArray().Last(e => e!["state"]?.GetValue<string>() is "Notify Result" or "Notify Failure"
            && e["type"]!.GetValue<string>().EndsWith("Scheduled", StringComparison.Ordinal))!;
        var input = JsonNode.Parse(scheduled["details"]!["input"]!.GetValue<string>())!.AsObject();
        var notification = NotificationComposer.Compose(NotifyHandler.StateOf(input), "bench");
        return Bytes(notification.Subject) + Bytes(notification.Body);
    }

    private static long Stored(string directory) => Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
        .Sum(f => new FileInfo(f).Length);
}
