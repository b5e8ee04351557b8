using System.CommandLine;
using System.Text.Json;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Json;
using Npgsql;

namespace KnowItAll.Workflow.Cli;

/// <summary>
/// The <c>knowitall</c> command line: the engine's verbs for people and scripts. Exit codes: 0 success
/// (validate: valid), 2 validate found changes pending, 1 failure.
/// </summary>
public static class KnowItAllCli
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, Console.In, cancellationToken);

    /// <summary>With the standard input to read answers from (workflow approve, workflow run --require-approval).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin,
        CancellationToken cancellationToken = default)
    {
        using var output = new RedactingWriter(stdout);
        using var log = new RedactingWriter(stderr);
        var root = Build(output, log, stdin);
        var parsed = root.Parse(args);
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = log, EnableDefaultExceptionHandler = false },
                cancellationToken);
        }
        catch (Exception e)
        {
            var (name, sentence) = Failure(e);
            await log.WriteLineAsync($"error: {name}: {sentence}");
            return ExitCodes.Failure;
        }
        finally
        {
            await output.FlushAsync(CancellationToken.None);
            await log.FlushAsync(CancellationToken.None);
        }
    }

    private static RootCommand Build(RedactingWriter output, RedactingWriter log, TextReader input)
    {
        var options = new EngineOptions();
        var root = new RootCommand("Know-It-All schema migrations: validate, plan and apply schema/ to PostgreSQL, safely.");

        var validate = new Command("validate", "Compare schema/ with the database: present, missing, drift. Exit 2 when changes are pending.");
        options.AddTo(validate);
        validate.SetAction((result, ct) => RunEngineAsync(result, options, output, log, ct, async (engine, view, json) =>
        {
            var validation = await engine.ValidateAsync(ct);
            if (json) await output.WriteJsonAsync(validation, Indented.ValidationResult);
            else view.Validation(validation);
            return validation.SchemaValid ? ExitCodes.Success : ExitCodes.ChangesPending;
        }));

        var plan = new Command("plan", "Print the ordered, additive SQL that would bring the database to schema/, with locks and hazards.");
        options.AddTo(plan);
        plan.Options.Add(options.AllowHazards);
        plan.SetAction((result, ct) => RunEngineAsync(result, options, output, log, ct, async (engine, view, json) =>
        {
            var migrationPlan = await engine.PlanAsync(ct);
            if (json) await output.WriteJsonAsync(migrationPlan, Indented.MigrationPlan);
            else view.Plan(migrationPlan);
            return ExitCodes.Success;
        }));

        var apply =
            new Command("apply", "Apply the plan: advisory lock, one transaction, lock timeouts with retries, concurrent index builds, history row.");
        options.AddTo(apply);
        apply.Options.Add(options.AllowHazards);
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan only, as `knowitall plan` does; change nothing" };
        var planHash = new Option<string?>("--plan-hash") { Description = "Refuse to apply unless the plan computed under the lock has this hash" };
        apply.Options.Add(dryRun);
        apply.Options.Add(planHash);
        apply.SetAction((result, ct) => RunEngineAsync(result, options, output, log, ct, async (engine, view, json) =>
        {
            if (result.GetValue(dryRun))
            {
                var dry = await engine.PlanAsync(ct);
                if (json) await output.WriteJsonAsync(dry, Indented.MigrationPlan);
                else view.DryRun(dry);
                return ExitCodes.Success;
            }
            var request = new ApplyRequest(result.GetValue(planHash));
            var applied = await engine.ApplyAsync(request, json ? null : view.ApplyProgress(), ct);
            if (json) await output.WriteJsonAsync(applied, Indented.ApplyResult);
            else view.Apply(applied);
            return ExitCodes.Success;
        }));

        var verify = new Command("verify-permissions", "Prove the application role can log in, connect and use every object schema/ grants it.");
        options.AddTo(verify);
        verify.SetAction((result, ct) => RunEngineAsync(result, options, output, log, ct, async (engine, view, json) =>
        {
            var report = await engine.VerifyPermissionsAsync(ct);
            if (json) await output.WriteJsonAsync(report, Indented.PermissionReport);
            else view.Permissions(report);
            return report.Success ? ExitCodes.Success : ExitCodes.Failure;
        }));

        var history = new Command("history", "The recorded runs, newest first; a run a kill left 'applying' is settled from the catalog first.");
        options.AddTo(history);
        var limit = new Option<int>("--limit") { Description = "How many runs", DefaultValueFactory = _ => 20 };
        history.Options.Add(limit);
        history.SetAction((result, ct) => RunEngineAsync(result, options, output, log, ct, async (engine, view, json) =>
        {
            var count = result.GetValue(limit);
            if (count is < 1 or > 10_000) throw new MigrationException(MigrationErrors.InvalidInput, $"--limit {count}: give 1 to 10000 runs");
            var runs = await engine.HistoryAsync(count, ct);
            if (json) await output.WriteJsonAsync(runs, Indented.IReadOnlyListHistoryRow);
            else view.History(runs);
            return ExitCodes.Success;
        }));

        foreach (var command in new[] { validate, plan, apply, verify, history, ReportCommand.Build(output, log), SchemaCommands.Build(output, log),
            Workflow.WorkflowCommands.Build(output, log, input) }) root.Subcommands.Add(command);
        return root;
    }

    private static async Task<int> RunEngineAsync(ParseResult result, EngineOptions options, RedactingWriter output, RedactingWriter log,
        CancellationToken ct, Func<MigrationEngine, ConsoleView, bool, Task<int>> body)
    {
        var json = result.GetValue(options.Json);
        try
        {
            var migrationOptions = options.ToMigrationOptions(result);
            var desired = options.DesiredModels(result, log);
            await using var target = await DatabaseTarget.ResolveAsync(result.GetValue(options.Connection), log, ct);
            output.AddSecret(target.Password);
            log.AddSecret(target.Password);
            output.AddSecret(target.ConnectionString);
            log.AddSecret(target.ConnectionString);
            await using var dataSource = KnowItAll.Migrations.Connections.CreateDataSource(target.ConnectionString);
            var engine = new MigrationEngine(dataSource, desired, migrationOptions);
            return await body(engine, new ConsoleView(output, target.Source), json);
        }
        catch (Exception e)
        {
            var (name, sentence) = Failure(e);
            return await FailAsync(output, log, json, name, sentence);
        }
    }

    /// <summary>Any failure as its stable name and one line a person can act on: a command never prints a stack trace.</summary>
    internal static (string Name, string Sentence) Failure(Exception e)
    {
        var (name, sentence) = e switch
        {
            MigrationException m => (m.ErrorName, m.Message),
            OperationCanceledException => (MigrationErrors.Cancelled, "cancelled; nothing was committed by the interrupted step"),
            Workflow.StepFunctionsException s => (MigrationErrors.ServiceError, s.Message),
            KnowItAll.StateMachine.DefinitionException d => (MigrationErrors.InvalidInput, d.Message),
            _ when Connections.Unavailable(e) is { } unavailable => (unavailable.ErrorName, unavailable.Message),
            HttpRequestException => (MigrationErrors.ServiceUnavailable, $"cannot reach the endpoint: {e.Message}"),
            IOException or UnauthorizedAccessException => (MigrationErrors.InvalidInput, e.Message),
            _ => (MigrationErrors.InternalError, $"{e.GetType().Name}: {e.Message}"),
        };
        return (name, string.Join(' ', sentence.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
    }

    private static async Task<int> FailAsync(TextWriter output, TextWriter log, bool json, string errorType, string message)
    {
        await log.WriteLineAsync($"error: {errorType}: {message}");
        if (json) await output.WriteLineAsync(JsonSerializer.Serialize(new CliError(false, errorType, message), CliJsonContext.Default.CliError));
        return ExitCodes.Failure;
    }

    private static readonly MigrationJsonContext Indented =
        new(new JsonSerializerOptions(
            MigrationJsonContext.Default.Options)
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping
        });
}
