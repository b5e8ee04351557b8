using System.Text;
using System.Text.Json.Nodes;
using KnowItAll.Migrations.Planning;
using KnowItAll.Migrations.Reporting;
using KnowItAll.Workflow.Functions.Handlers;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary>What the pipeline prints at the end of an execution: status, changes, hazards, permissions, a console link.</summary>
public static class ExecutionSummary
{
    public static string Describe(JsonObject described, string region)
    {
        var text = new StringBuilder();
        var arn = described["executionArn"]?.GetValue<string>() ?? "";
        text.AppendLine($"status: {described["status"]}");
        if (described["error"] is { } error) text.AppendLine($"error: {error}: {NotificationComposer.Cause(described["cause"])}");
        if (described["output"]?.GetValue<string>() is { } outputText && JsonNode.Parse(outputText) is JsonObject json)
        {
            var output = WorkflowState.Read(json);
            text.AppendLine($"outcome: {output.Outcome?.ToWire()}");
            foreach (var line in NotificationComposer.SummaryLines(output)) text.AppendLine(line);
            var reports = NotificationComposer.ReportLines(output).ToList();
            if (reports.Count > 0) text.AppendLine("full reports:");
            foreach (var line in reports) text.AppendLine(line);
        }
        text.Append($"console: https://{region}.console.aws.amazon.com/states/home?region={region}#/v2/executions/details/{arn}");
        return text.ToString();
    }
}
