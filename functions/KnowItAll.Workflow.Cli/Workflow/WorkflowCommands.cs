using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations;
using KnowItAll.StateMachine;
using KnowItAll.Migrations.Reporting;
using KnowItAll.Workflow.Functions;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary><c>knowitall workflow run</c>: the real state machine definition, executed locally end to end.</summary>
public static class WorkflowCommands
{
    public static Command Build(RedactingWriter output, RedactingWriter log, TextReader input)
    {
        var workflow = new Command("workflow", "Run the Step Functions workflow (statemachine/migration.asl.json) locally.");
        var run =
            new Command("run",
                "Execute the state machine definition with the in-process functions; each state is printed as it is entered and left.");
        var options = new EngineOptions();
        options.AddTo(run);
        run.Options.Add(options.AllowHazards);
        var executionInput =
            new Option<string?>("--input") { Description = "Execution input JSON (default: {\"action\": ACTION, \"dry_run\": DRY_RUN})" };
        var action = new Option<string>("--action") { Description = "validate, plan or apply", DefaultValueFactory = _ => "apply" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Stop after Plan" };
        var planHash = PlanHashOption();
        var mockConfig =
            new Option<FileInfo?>("--mock-config") { Description = "AWS Step Functions Local mock config: run a test case without a database" };
        var testCase = new Option<string?>("--test-case") { Description = "Test case of the mock config" };
        var skipDelays = new Option<bool>("--skip-delays")
        {
            Description = "Do not sleep through Retry intervals and Wait states (the history is the same); for mock-config test runs"
        };
        var definition = new Option<FileInfo>("--definition")
        {
            Description = "State machine definition",
            DefaultValueFactory = _ => new FileInfo(WorkflowDefinition.DefaultPath())
        };
        var environment = new Option<string>("--environment")
        {
            Description = "Environment name for the ${Environment} placeholder", DefaultValueFactory = _ => "local"
        };
        var reportDir = ReportDirectoryOption();
        var approval = new ApprovalOptions();
        foreach (var option in new Option[] { executionInput, action, dryRun, planHash, mockConfig, testCase, skipDelays, definition, environment,
            reportDir, approval.Require, approval.Timeout }) run.Options.Add(option);

        run.SetAction(async (result, ct) =>
        {
            var json = result.GetValue(options.Json);
            try
            {
                var env = result.GetValue(environment)!;
                var policy = approval.Policy(result);
                var machine = WorkflowDefinition.Load(result.GetValue(definition)!.FullName, env, policy);
                var start = ExecutionInput(result.GetValue(executionInput), result.GetValue(action)!, result.GetValue(dryRun),
                    result.GetValue(planHash));
                var mocks = result.GetValue(mockConfig) is { } file ? MockConfig.Load(await File.ReadAllTextAsync(file.FullName, ct)) : null;
                if (mocks is not null && result.GetValue(testCase) is null)
                    throw new MigrationException(MigrationErrors.InvalidInput, "--mock-config needs --test-case");
                var tokens = new TaskTokens();
                var executorOptions =
                    WorkflowService.ExecutorOptions() with { Mocks = mocks, TestCase = result.GetValue(testCase), TaskTokens = tokens };
                if (result.GetValue(skipDelays)) executorOptions = executorOptions with { Delay = (_, _) => Task.CompletedTask };
                var name = $"local-{DateTime.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";

                ExecutionResult execution;
                var reports = result.GetValue(reportDir)!.FullName;
                var view = new WorkflowView(output, json, $"knowitall report {{name}} --report-dir {reports}");
                var approver = policy.Required ? new TerminalApprover(tokens, json ? log : output, input) : null;
                void Observe(HistoryEvent e)
                {
                    view.OnEvent(e);
                    approver?.OnEvent(e);
                }
                if (mocks is not null)
                {
                    execution = await new StateMachineExecutor(machine, new FunctionTaskInvoker(null, env), executorOptions)
                        .RunAsync(start, name, Observe, ct);
                }
                else
                {
                    await using var target = await DatabaseTarget.ResolveAsync(result.GetValue(options.Connection), log, ct);
                    foreach (var secret in new[] { target.Password, target.ConnectionString }) { output.AddSecret(secret); log.AddSecret(secret); }
                    await using var services = LocalFunctions(result, options, target, env, reports, view, log);
                    var host = new FunctionHost(services, TextWriter.Null);
                    execution = await new StateMachineExecutor(machine, new FunctionTaskInvoker(host, env), executorOptions)
                        .RunAsync(start, name, Observe, ct);
                }
                await view.FinishAsync(execution);
                return execution.Status == ExecutionStatus.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
            }
            catch (DefinitionException e)
            {
                await log.WriteLineAsync($"error: {MigrationErrors.InvalidInput}: {e.Message}");
                return ExitCodes.Failure;
            }
            catch (MigrationException e)
            {
                await log.WriteLineAsync($"error: {e.ErrorName}: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        workflow.Subcommands.Add(run);
        workflow.Subcommands.Add(DiagramCommand(output, log));
        workflow.Subcommands.Add(WorkflowService.ServeCommand(output, log));
        workflow.Subcommands.Add(WorkflowService.StartCommand(output, log));
        workflow.Subcommands.Add(ApprovalCommands.Approve(output, log, input));
        workflow.Subcommands.Add(ApprovalCommands.Reject(output, log));
        return workflow;
    }

    private const string DiagramStart = "<!-- workflow-diagram:start (generated by: knowitall workflow diagram --write) -->";
    private const string DiagramEnd = "<!-- workflow-diagram:end -->";

    /// <summary><c>knowitall workflow diagram [--write]</c>: the Mermaid picture of the definition, kept in statemachine/migration.mmd and the
    /// README.</summary>
    private static Command DiagramCommand(TextWriter output, TextWriter log)
    {
        var diagram =
            new Command("diagram", "Print the Mermaid flowchart of the state machine; --write updates statemachine/migration.mmd and the README.");
        var write = new Option<bool>("--write") { Description = "Write statemachine/migration.mmd and the README's diagram" };
        diagram.Options.Add(write);
        diagram.SetAction(async (result, ct) =>
        {
            var definitionPath = WorkflowDefinition.DefaultPath();
            var text = MermaidDiagram.Generate(WorkflowDefinition.Load(definitionPath, "local", ApprovalPolicy.None));
            if (!result.GetValue(write))
            {
                await output.WriteAsync(text);
                return ExitCodes.Success;
            }
            var root = Path.GetDirectoryName(Path.GetDirectoryName(definitionPath))!;
            await File.WriteAllTextAsync(Path.Combine(root, "statemachine", "migration.mmd"), text, ct);
            var readmePath = Path.Combine(root, "README.md");
            var readme = await File.ReadAllTextAsync(readmePath, ct);
            var start = readme.IndexOf(DiagramStart, StringComparison.Ordinal);
            var end = readme.IndexOf(DiagramEnd, StringComparison.Ordinal);
            if (start < 0 || end < start)
            {
                await log.WriteLineAsync($"error: README.md has no diagram markers ({DiagramStart} ... {DiagramEnd})");
                return ExitCodes.Failure;
            }
            readme = readme[..(start + DiagramStart.Length)] + "\n```mermaid\n" + text + "```\n" + readme[end..];
            await File.WriteAllTextAsync(readmePath, readme, ct);
            await log.WriteLineAsync("wrote statemachine/migration.mmd and the README's diagram");
            return ExitCodes.Success;
        });
        return diagram;
    }

    /// <summary>The in-process functions, configured as a deployed environment's would be, on the given database.</summary>
    internal static FunctionServices LocalFunctions(ParseResult result, EngineOptions options, DatabaseTarget target, string environment,
        string reportDirectory, INotificationPublisher publisher, TextWriter log)
    {
        var migration = options.ToMigrationOptions(result);
        var schemaDirectory = KnowItAll.Migrations.Desired.SchemaSource.FromDirectory(result.GetValue(options.Schema)!.FullName).Origin;
        var functionEnvironment = new FunctionEnvironment
        {
            SchemaDirectory = schemaDirectory,
            OnStaleModel = KnowItAll.Migrations.Desired.StaleModelPolicy.Rebuild,
            ModelCacheDirectory = ModelCache.Directory(),
            TargetSchema = migration.TargetSchema, AppRole = migration.AppRole,
            LockTimeoutMs = (int)migration.LockTimeout.TotalMilliseconds, LockRetries = migration.MaxLockRetries, EnvironmentName = environment,
            StatementTimeoutMs = (int)migration.StatementTimeout.TotalMilliseconds, ReportDirectory = reportDirectory,
            AllowHazards = migration.AllowHazards,
        };
        return new FunctionServices(functionEnvironment, new StaticCredentials(target.ConnectionString), publisher,
            new DirectoryReportStore(reportDirectory), TextWriter.Null, message => log.WriteLine("note: " + message));
    }

    /// <summary>Where local runs keep full reports: <c>--report-dir</c>, by default <c>knowitall-reports/</c> in the working directory.</summary>
    internal static Option<DirectoryInfo> ReportDirectoryOption() => new("--report-dir")
    {
        Description = "Directory of the full reports (local report store)",
        DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Directory.GetCurrentDirectory(), DefaultReportDirectoryName)),
    };

    internal const string DefaultReportDirectoryName = "knowitall-reports";

    /// <summary><c>--plan-hash</c>: the execution runs that plan or nothing (the state machine's Requested Plan? choice).</summary>
    internal static Option<string?> PlanHashOption() => new("--plan-hash")
    {
        Description =
            "Run only the plan with this hash (from knowitall plan or a reviewed plan report): any other plan fails with Migration.PlanStale, " +
            "nothing applied",
    };

    /// <summary>The execution input: <c>--input</c> as given, or built from <c>--action</c>, <c>--dry-run</c> and <c>--plan-hash</c>.</summary>
    internal static JsonNode ExecutionInput(string? text, string action, bool dryRun, string? planHash)
    {
        if (text is null)
        {
            var built = new JsonObject { ["action"] = action, ["dry_run"] = dryRun };
            if (planHash is null) return built;
            if (!KnowItAll.Migrations.Planning.PlanHasher.IsWellFormed(planHash))
                throw new MigrationException(MigrationErrors.InvalidInput,
                    $"--plan-hash '{planHash}' is not a 64-character hex SHA-256 (knowitall plan --json prints the plan's plan_hash)");
            // The state machine compares hashes exactly, and plans write theirs in lower case.
            built["plan_hash"] = planHash.ToLowerInvariant();
            return built;
        }
        if (planHash is not null)
            throw new MigrationException(MigrationErrors.InvalidInput,
                "--plan-hash builds the input with --action: with --input, put \"plan_hash\" in that JSON");
        try
        {
            return JsonNode.Parse(text) ?? throw new MigrationException(MigrationErrors.InvalidInput, "--input is null");
        }
        catch (JsonException e)
        {
            throw new MigrationException(MigrationErrors.InvalidInput, $"--input is not valid JSON: {e.Message}");
        }
    }
}
