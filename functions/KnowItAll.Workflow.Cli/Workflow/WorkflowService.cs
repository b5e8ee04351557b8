using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations;
using KnowItAll.StateMachine;
using KnowItAll.StateMachine.Local;
using KnowItAll.Workflow.Functions;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary><c>workflow serve</c> (a local Step Functions endpoint) and <c>workflow start</c> (the ops client).</summary>
public static class WorkflowService
{
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;
    public const int ExitWaitTimedOut = 3;

    public static ExecutorOptions ExecutorOptions() => new()
    {
        StateMachineName = WorkflowDefinition.StateMachineName, Region = WorkflowDefinition.Region, Account = WorkflowDefinition.Account,
    };

    public static string StateMachineArn => ExecutorOptions().StateMachineArn;

    public static Command ServeCommand(RedactingWriter output, RedactingWriter log)
    {
        var serve =
            new Command("serve",
                "Serve the Step Functions API on 127.0.0.1, running executions of the migration workflow with the in-process functions.");
        var options = new EngineOptions();
        options.AddTo(serve);
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1", DefaultValueFactory = _ => 8083 };
        var environment = new Option<string>("--environment") { DefaultValueFactory = _ => "local", Description = "Environment name" };
        var reportDir = WorkflowCommands.ReportDirectoryOption();
        var approval = new ApprovalOptions();
        serve.Options.Add(approval.Require);
        serve.Options.Add(approval.Timeout);
        serve.Options.Add(port);
        serve.Options.Add(environment);
        serve.Options.Add(reportDir);
        serve.SetAction(async (result, ct) =>
        {
            try
            {
                var env = result.GetValue(environment)!;
                var path = WorkflowDefinition.DefaultPath();
                var policy = approval.Policy(result);
                var definition = WorkflowDefinition.Load(path, env, policy);
                await using var target = await DatabaseTarget.ResolveAsync(result.GetValue(options.Connection), log, ct);
                foreach (var secret in new[] { target.Password, target.ConnectionString }) { output.AddSecret(secret); log.AddSecret(secret); }
                var reports = result.GetValue(reportDir)!.FullName;
                await using var services = WorkflowCommands.LocalFunctions(result, options, target, env, reports, new StdoutPublisher(log), log);
                var host = new FunctionHost(services, TextWriter.Null);
                var machine = new ServedStateMachine(WorkflowDefinition.StateMachineName, await File.ReadAllTextAsync(path, ct), definition,
                    new FunctionTaskInvoker(host, env), ExecutorOptions());
                await using var server = new StepFunctionsServer([machine], result.GetValue(port));
                server.Start();
                await output.WriteLineAsync($"Step Functions endpoint: {server.Endpoint}");
                await output.WriteLineAsync($"State machine ARN:       {machine.Arn}");
                await output.WriteLineAsync($"Reports:                 {reports} (knowitall report EXECUTION --report-dir {reports})");
                if (policy.Required)
                    await output.WriteLineAsync(
                        $"Approval:                applies wait up to {policy.TimeoutSeconds} s after Plan: knowitall workflow approve|reject " +
                        $"EXECUTION --endpoint-url {server.Endpoint}");
                await output.WriteLineAsync(
                    $"Try: aws stepfunctions start-execution --endpoint-url {server.Endpoint} --state-machine-arn {machine.Arn} --input " +
                    $"'{{\"action\":\"apply\"}}'");
                await output.FlushAsync(ct);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    await log.WriteLineAsync("stopping");
                }
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is MigrationException or DefinitionException or System.Net.HttpListenerException)
            {
                await log.WriteLineAsync($"error: {(e as MigrationException)?.ErrorName ?? MigrationErrors.InvalidInput}: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return serve;
    }

    public static Command StartCommand(RedactingWriter output, RedactingWriter log)
    {
        var start =
            new Command("start",
                "Start an execution (AWS or any endpoint); with --wait, follow it state by state and exit as the pipeline script does.");
        var arn = new Option<string>("--state-machine-arn") { Required = true, Description = "State machine ARN" };
        var input = new Option<string?>("--input") { Description = "Execution input JSON (default: {\"action\":\"apply\",\"dry_run\":false})" };
        var planHash = WorkflowCommands.PlanHashOption();
        var name = new Option<string?>("--name") { Description = "Execution name (the same name and input while running is the same execution)" };
        var wait = new Option<bool>("--wait") { Description = "Follow the execution until it ends" };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "Endpoint (default: AWS_ENDPOINT_URL, else the regional AWS endpoint)" };
        var region = new Option<string?>("--region") { Description = "Region (default: AWS_REGION, else us-east-1)" };
        var timeout = new Option<int>("--timeout") { DefaultValueFactory = _ => 1800, Description = "Seconds to wait before giving up (exit 3)" };
        foreach (var option in new Option[] { arn, input, planHash, name, wait, endpoint, region, timeout }) start.Options.Add(option);
        start.SetAction(async (result, ct) =>
        {
            if (!IsStateMachineArn(result.GetValue(arn)!))
            {
                await log.WriteLineAsync(
                    $"error: {MigrationErrors.InvalidInput}: '{result.GetValue(arn)}' is not a state machine ARN " +
                    "(arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)");
                return ExitUsage;
            }
            string executionInput;
            try
            {
                var text = result.GetValue(input);
                var parsed = WorkflowCommands.ExecutionInput(text, "apply", false, result.GetValue(planHash));
                executionInput = text ?? parsed.ToJsonString();
            }
            catch (MigrationException e)
            {
                await log.WriteLineAsync($"error: {e.ErrorName}: {e.Message}");
                return ExitUsage;
            }
            using var http = new HttpClient();
            var client = StepFunctionsClient.Create(http, result.GetValue(endpoint), result.GetValue(region));
            try
            {
                var request = new JsonObject { ["stateMachineArn"] = result.GetValue(arn), ["input"] = executionInput };
                if (result.GetValue(name) is { } executionName) request["name"] = executionName;
                var started = await client.CallAsync("StartExecution", request, ct);
                var executionArn = started["executionArn"]!.GetValue<string>();
                await output.WriteLineAsync($"started {executionArn}");
                if (!result.GetValue(wait)) return ExitCodes.Success;
                return await FollowAsync(client, executionArn, TimeSpan.FromSeconds(result.GetValue(timeout)), output, ct);
            }
            catch (Exception e) when (e is StepFunctionsException or MigrationException)
            {
                var (errorName, sentence) = KnowItAllCli.Failure(e);
                await log.WriteLineAsync($"error: {errorName}: {sentence}");
                return ExitFailed;
            }
        });
        return start;
    }

    /// <summary>The shape start-migration.sh accepts too: a bad ARN is refused before anything is signed or sent.</summary>
    internal static bool IsStateMachineArn(string arn) =>
        System.Text.RegularExpressions.Regex.IsMatch(arn, "^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$");

    /// <summary>Prints each state as it is entered and left (from GetExecutionHistory), then the summary; exit 0 only for SUCCEEDED.</summary>
    private static async Task<int> FollowAsync(StepFunctionsClient client, string executionArn, TimeSpan timeout, TextWriter output,
        CancellationToken ct)
    {
        var until = DateTime.UtcNow + timeout;
        long seen = 0;
        while (true)
        {
            // Status first, history second: when the status says it ended, the history read after it is complete.
            var described = await client.CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = executionArn }, ct);
            var history = await client.CallAsync("GetExecutionHistory", new JsonObject { ["executionArn"] = executionArn, ["maxResults"] = 1000 },
                ct);
            foreach (var e in (history["events"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var id = e["id"]!.GetValue<long>();
                if (id <= seen) continue;
                seen = id;
                var type = e["type"]!.GetValue<string>();
                if (type.EndsWith("StateEntered", StringComparison.Ordinal))
                    await output.WriteLineAsync($"  ▶ {e["stateEnteredEventDetails"]?["name"]}");
                else if (type.EndsWith("StateExited", StringComparison.Ordinal))
                    await output.WriteLineAsync($"  ✔ {e["stateExitedEventDetails"]?["name"]}");
                else if (type.EndsWith("Failed", StringComparison.Ordinal) && type != "ExecutionFailed")
                    await output.WriteLineAsync($"  ✘ {e.Select(p => p.Value).OfType<JsonObject>().FirstOrDefault()?["error"]}");
            }
            var status = described["status"]!.GetValue<string>();
            if (status != "RUNNING")
            {
                await output.WriteLineAsync(ExecutionSummary.Describe(described, client.Region));
                return status == "SUCCEEDED" ? ExitCodes.Success : ExitFailed;
            }
            if (DateTime.UtcNow > until)
            {
                await output.WriteLineAsync($"still RUNNING after {timeout.TotalSeconds:0} s: {executionArn}");
                return ExitWaitTimedOut;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }
}
