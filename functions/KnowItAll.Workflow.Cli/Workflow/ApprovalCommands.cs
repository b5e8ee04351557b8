using KnowItAll.Migrations;
using System.CommandLine;
using System.Text.Json.Nodes;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary>
/// <c>knowitall workflow approve | reject EXECUTION</c>: read the waiting plan from the execution's history, show it, and
/// answer the approval task with SendTaskSuccess (carrying the plan hash) or SendTaskFailure (Migration.Rejected), against
/// AWS (SigV4) or any endpoint such as <c>workflow serve</c>. The task token goes from the history to the answer and is never printed.
/// </summary>
public static class ApprovalCommands
{
    public const int ExitNotApproved = 1;

    public static Command Approve(TextWriter output, TextWriter log, TextReader input)
    {
        var approve =
            new Command("approve",
                "Show the plan an execution waits on and approve it: the execution applies exactly that plan, or fails if the database moved.");
        var (execution, endpoint, region, machine) = Common(approve);
        var yes = new Option<bool>("--yes") { Description = "Approve without asking" };
        approve.Options.Add(yes);
        approve.SetAction((result, ct) => DecideAsync(result, execution, endpoint, region, machine, output, log, ct, async (client, pending) =>
        {
            if (!result.GetValue(yes))
            {
                await output.WriteAsync($"Approve plan {pending.PlanHash} for {pending.Environment}? [y/N] ");
                await output.FlushAsync(ct);
                if (!PendingApproval.IsYes(await input.ReadLineAsync(ct)))
                {
                    await output.WriteLineAsync("not approved: nothing sent, the execution keeps waiting");
                    return ExitNotApproved;
                }
            }
            await client.CallAsync("SendTaskSuccess", new JsonObject
            {
                ["taskToken"] = pending.TaskToken, ["output"] = pending.ApprovalOutput(PendingApproval.Person(), DateTimeOffset.UtcNow),
            }, ct);
            await output.WriteLineAsync(
                $"approved plan {pending.PlanHash}: the execution applies it unless the database changed since it was planned");
            return ExitCodes.Success;
        }));
        return approve;
    }

    public static Command Reject(TextWriter output, TextWriter log)
    {
        var reject =
            new Command("reject",
                "Show the plan an execution waits on and reject it: the execution fails with Migration.Rejected and the reason, applying nothing.");
        var (execution, endpoint, region, machine) = Common(reject);
        var reason =
            new Option<string>("--reason") { Required = true, Description = "Why (the execution's failure cause and the notification show it)" };
        reject.Options.Add(reason);
        reject.SetAction((result, ct) => DecideAsync(result, execution, endpoint, region, machine, output, log, ct, async (client, pending) =>
        {
            var text = result.GetValue(reason)!.Trim();
            if (text.Length == 0)
            {
                await log.WriteLineAsync($"error: {MigrationErrors.InvalidInput}: --reason must say why");
                return WorkflowService.ExitUsage;
            }
            await client.CallAsync("SendTaskFailure", new JsonObject
            {
                ["taskToken"] = pending.TaskToken, ["error"] = PendingApproval.RejectionError,
                ["cause"] = pending.RejectionCause(text, PendingApproval.Person()),
            }, ct);
            await output.WriteLineAsync($"rejected plan {pending.PlanHash}: the execution fails with {PendingApproval.RejectionError}");
            return ExitCodes.Success;
        }));
        return reject;
    }

    private static (Argument<string>, Option<string?>, Option<string?>, Option<string>) Common(Command command)
    {
        var execution = new Argument<string>("EXECUTION") { Description = "Execution ARN, or its name (with --state-machine-arn)" };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "Endpoint (default: AWS_ENDPOINT_URL, else the regional AWS endpoint)" };
        var region = new Option<string?>("--region") { Description = "Region (default: AWS_REGION, else us-east-1)" };
        var machine = new Option<string>("--state-machine-arn")
        {
            Description = "The state machine, to turn an execution name into its ARN", DefaultValueFactory = _ => WorkflowService.StateMachineArn,
        };
        command.Arguments.Add(execution);
        foreach (var option in new Option[] { endpoint, region, machine }) command.Options.Add(option);
        return (execution, endpoint, region, machine);
    }

    private static async Task<int> DecideAsync(ParseResult result, Argument<string> execution, Option<string?> endpoint, Option<string?> region,
        Option<string> machine, TextWriter output, TextWriter log, CancellationToken ct, Func<StepFunctionsClient, PendingApproval, Task<int>> decide)
    {
        var arn = ExecutionArn(result.GetValue(execution)!, result.GetValue(machine)!);
        if (arn is null)
        {
            await log.WriteLineAsync(
                $"error: {MigrationErrors.InvalidInput}: '{result.GetValue(execution)}' is neither an execution ARN nor an execution name (1-80 " +
                "characters) and --state-machine-arn is not a state machine ARN");
            return WorkflowService.ExitUsage;
        }
        using var http = new HttpClient();
        var client = StepFunctionsClient.Create(http, result.GetValue(endpoint), result.GetValue(region));
        try
        {
            var described = await client.CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = arn }, ct);
            var status = described["status"]?.GetValue<string>();
            if (status != "RUNNING")
            {
                await log.WriteLineAsync($"error: {MigrationErrors.InvalidInput}: {arn} is {status}: there is nothing to approve or reject");
                return WorkflowService.ExitFailed;
            }
            var pending = PendingApproval.Open(await HistoryAsync(client, arn, ct));
            if (pending is null)
            {
                await log.WriteLineAsync(
                    $"error: {MigrationErrors.InvalidInput}: {arn} is RUNNING but does not wait for a plan approval (not yet planned, or approval " +
                    "is not required in this environment)");
                return WorkflowService.ExitFailed;
            }
            await output.WriteLineAsync($"execution: {arn}");
            foreach (var line in pending.Describe()) await output.WriteLineAsync(line);
            return await decide(client, pending);
        }
        catch (StepFunctionsException e)
        {
            await log.WriteLineAsync(e.Type == "TaskTimedOut"
                ? $"error: {MigrationErrors.ServiceError}: the approval request is closed (timed out, already decided, or the execution stopped): " +
                    $"{e.Message}"
                : $"error: {MigrationErrors.ServiceError}: {e.Message}");
            return WorkflowService.ExitFailed;
        }
        catch (MigrationException e)
        {
            await log.WriteLineAsync($"error: {e.ErrorName}: {e.Message}");
            return WorkflowService.ExitFailed;
        }
    }

    private static async Task<List<JsonObject>> HistoryAsync(StepFunctionsClient client, string arn, CancellationToken ct)
    {
        var events = new List<JsonObject>();
        string? next = null;
        do
        {
            var request = new JsonObject { ["executionArn"] = arn, ["maxResults"] = 1000 };
            if (next is not null) request["nextToken"] = next;
            var page = await client.CallAsync("GetExecutionHistory", request, ct);
            events.AddRange((page["events"] as JsonArray ?? []).OfType<JsonObject>());
            next = page["nextToken"]?.GetValue<string>();
        }
        while (next is not null);
        return events;
    }

    /// <summary>An execution ARN as given, or the name turned into one of the state machine's executions.</summary>
    internal static string? ExecutionArn(string execution, string stateMachineArn)
    {
        if (execution.StartsWith("arn:", StringComparison.Ordinal))
            return execution.Contains(":execution:", StringComparison.Ordinal) ? execution : null;
        if (execution.Length is 0 or > 80 || execution.Contains(':')) return null;
        var parts = stateMachineArn.Split(':');
        return parts.Length == 7 && parts[5] == "stateMachine" ? $"{string.Join(':', parts[..5])}:execution:{parts[6]}:{execution}" : null;
    }
}
