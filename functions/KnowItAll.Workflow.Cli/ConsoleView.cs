using KnowItAll.Migrations;
using KnowItAll.Migrations.Apply;
using KnowItAll.Migrations.Planning;
using Spectre.Console;
using ValidationResult = KnowItAll.Migrations.ValidationResult;

namespace KnowItAll.Workflow.Cli;

/// <summary>Human output: tables of changes with their locks and hazards, in colour where the terminal has it.</summary>
public sealed class ConsoleView
{
    private readonly IAnsiConsole _console;
    private readonly string _target;

    public ConsoleView(TextWriter output, string target)
    {
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        _target = target;
    }

    public void Validation(ValidationResult result)
    {
        Header("validate", result.TargetSchema);
        var counts = result.Objects.GroupBy(o => o.Status).ToDictionary(g => g.Key, g => g.Count());
        _console.MarkupLine($"{result.ObjectsChecked} objects checked: [green]{counts.GetValueOrDefault(ObjectStatus.Present)} present[/], " +
                            $"[yellow]{counts.GetValueOrDefault(ObjectStatus.Missing)} missing[/], " +
                            $"[blue]{counts.GetValueOrDefault(ObjectStatus.Different)} different[/] ({result.DurationMs} ms)");
        if (result.Missing.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("[yellow]missing (an apply creates these)[/]")
                .AddColumns("kind", "object", "note");
            foreach (var m in result.Missing) table.AddRow(Esc(m.Kind), Esc(m.Name), Esc(m.Detail ?? ""));
            _console.Write(table);
        }
        Drift(result.Drift);
        _console.MarkupLine(result.SchemaValid ? "[green]✔ schema is valid[/]" : "[yellow]✘ changes pending: run `knowitall plan` to see them[/]");
    }

    public void Plan(MigrationPlan plan)
    {
        Header("plan", plan.TargetSchema);
        if (!plan.HasChanges)
        {
            _console.MarkupLine("[green]✔ nothing to do: the database already has everything schema/ declares[/]");
            Drift(plan.Drift);
            return;
        }
        // What deletes data is said before anything else, with how much.
        foreach (var s in plan.Statements)
            foreach (var h in s.Hazards.Where(h => h.Code == HazardCode.DeletesData))
                _console.MarkupLine($"[red]{Esc(h.Code.ToWire())}[/] statement {s.Order}: {Esc(h.Message)}");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("#", "change", "object", "lock", "runs", "hazards");
        foreach (var s in plan.Statements)
        {
            var hazards = s.Hazards.Count == 0 ? "[green]none[/]"
                : string.Join("\n", s.Hazards.Select(h => $"[yellow]{Esc(h.Code.ToWire())}[/] {Esc(h.Message)}"));
            table.AddRow(s.Order.ToString(), Esc(s.Kind.ToWire()), Esc(s.ObjectName), LockMarkup(s.Lock.ToWire()), s.Transactional ? "in transaction"
                : "[blue]alone[/]", hazards);
        }
        _console.Write(table);
        foreach (var h in plan.Blocking) _console.MarkupLine($"[red]blocked[/] {Esc(h.Code.ToWire())} {Esc(h.Message)}");
        _console.MarkupLine($"{plan.Statements.Count} statements, {plan.Summary.ChangeCount} changes. plan hash [bold]{plan.PlanHash}[/]");
        _console.MarkupLine($"[grey]apply exactly this plan: knowitall apply --plan-hash {plan.PlanHash}[/]");
        Drift(plan.Drift);
    }

    public IProgress<ApplyProgress> ApplyProgress() => new SynchronousProgress(p =>
    {
        if (p.Phase == "running") _console.MarkupLine($"[grey]  ▶ {p.Order}/{p.Total} {Esc(p.ObjectName)}…[/]");
    });

    public void DryRun(MigrationPlan plan)
    {
        Plan(plan);
        _console.MarkupLine("[blue]dry run: nothing was changed[/]");
    }

    public void Apply(ApplyResult result)
    {
        Header("apply", result.Plan.TargetSchema);
        if (!result.Changed)
        {
            _console.MarkupLine($"[green]✔ nothing to do: the schema is up to date[/] (history row {result.HistoryId})");
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumns("created", "count", "objects");
        void Row(string label, IReadOnlyList<string> items)
        {
            if (items.Count > 0) table.AddRow(label, items.Count.ToString(), Esc(string.Join(", ", items)));
        }
        Row("extensions", result.ExtensionsCreated);
        Row("sequences", result.SequencesCreated);
        Row("tables", result.TablesCreated);
        Row("columns", result.ColumnsAdded);
        Row("indexes", result.IndexesCreated);
        Row("constraints", result.ConstraintsAdded);
        Row("grants", result.GrantsApplied);
        _console.Write(table);
        _console.MarkupLine(
            $"[green]✔ applied {result.StatementsExecuted} statements[/] in {result.DurationMs} ms, {result.LockRetries} lock retries, history row " +
            $"{result.HistoryId}");
    }

    public void Permissions(PermissionReport report)
    {
        _console.MarkupLine($"[bold]verify-permissions[/] role [bold]{Esc(report.Role)}[/] on {Esc(_target)}");
        _console.MarkupLine(
            $"login {Mark(report.CanLogin)}  connect {Mark(report.CanConnect)}  schema usage {Mark(report.HasSchemaUsage)}  ({report.Checked} " +
            "checks)");
        if (report.Missing.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("[red]missing privileges[/]").AddColumns("kind", "object", "privilege");
            foreach (var m in report.Missing) table.AddRow(Esc(m.Kind), Esc(m.Object), Esc(m.Privilege));
            _console.Write(table);
        }
        _console.MarkupLine(report.Success ? "[green]✔ every privilege is in place[/]" : "[red]✘ privileges are missing[/]");
    }

    public void History(IReadOnlyList<KnowItAll.Migrations.Apply.HistoryRow> runs)
    {
        _console.MarkupLine($"[bold]history[/] on {Esc(_target)}");
        if (runs.Count == 0)
        {
            _console.MarkupLine("no run has been recorded");
            return;
        }
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        foreach (var r in runs)
        {
            var took = r.FinishedAt is { } end && r.SettledAt is null ? $", {(end - r.StartedAt).TotalMilliseconds.ToString("N0", invariant)} ms"
                : "";
            var outcome =
                r.Outcome switch
                {
                    HistoryOutcome.Applied => "[green]applied[/]",
                    HistoryOutcome.Failed => "[red]failed[/]",
                    HistoryOutcome.Applying => "[yellow]applying (running now)[/]",
                    var o => Esc(o.ToWire())
                };
            _console.MarkupLine(
                $"#{r.Id.ToString(invariant)}  {r.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", invariant)}Z  {outcome}  " +
                $"{r.Changes.ToString(invariant)} changes, plan {Esc(r.PlanHash[..Math.Min(12, r.PlanHash.Length)])}, by {Esc(r.RunBy)}{took}");
            if (r.DataDeleted is { } deleted && r.Outcome == HistoryOutcome.Applied)
                _console.MarkupLine(
                    $"    [red]deleted data[/]: {deleted.ToString("N0", invariant)} rows and values of declared removals (the statements are in " +
                    "the history row)");
            if (r.SettledAt is { } settled)
                _console.MarkupLine(
                    $"    settled {settled.ToString("yyyy-MM-dd HH:mm:ss", invariant)}Z by a later run: it had been left 'applying' by a kill");
            if (r.Error is { } error) _console.MarkupLine($"    {Esc(error)}");
        }
    }

    private void Header(string verb, string schema) =>
        _console.MarkupLine($"[bold]{verb}[/] schema [bold]{Esc(schema)}[/] on {Esc(_target)}");

    private void Drift(IReadOnlyList<DriftItem> drift)
    {
        if (drift.Count == 0) return;
        var table = new Table().Border(TableBorder.Rounded).Title("[blue]drift (reported, never changed)[/]").AddColumns("kind", "object", "reason");
        foreach (var d in drift) table.AddRow(Esc(d.Kind), Esc(d.Name), Esc(d.Reason));
        _console.Write(table);
    }

    private static string LockMarkup(string lockLevel) => lockLevel switch
    {
        "ACCESS EXCLUSIVE" => "[red]ACCESS EXCLUSIVE[/]",
        "NONE" => "[green]none[/]",
        _ => $"[yellow]{Esc(lockLevel)}[/]",
    };

    private static string Mark(bool ok) => ok ? "[green]✔[/]" : "[red]✘[/]";

    private static string Esc(string text) => Markup.Escape(text);

    /// <summary>Reports on the caller's thread, so progress lines appear in order between the apply's own output.</summary>
    private sealed class SynchronousProgress(Action<ApplyProgress> report) : IProgress<ApplyProgress>
    {
        public void Report(ApplyProgress value) => report(value);
    }
}
