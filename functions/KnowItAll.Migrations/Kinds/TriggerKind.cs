using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>Triggers: created when missing, a changed one replaced in the transaction, its firing state (ENABLE / DISABLE) set.</summary>
internal sealed partial class TriggerKind : ObjectKind
{
    public override string Name => "trigger";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Triggers)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(TriggerCatalog.Query, false, TriggerCatalog.ReadAsync, (m, v) => m with { Triggers = v }, [CatalogCensus.Triggers])];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var t in model.Triggers.OrderBy(t => t.Table, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal))
            KindRegistry.Line(text, "trigger ", t.Enabled == 'O' ? t.Definition : $"{t.Definition} {t.EnabledClause()}");
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) =>
        model with { Triggers = model.Triggers.Select(t => t with { Definition = rename(t.Definition) }).ToList() };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => TriggerDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = ["function", "table", "constraint", "index", "view"];

    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", TriggerPlanner.Plan)];

    public override IReadOnlyList<StatementForm> Forms { get; } = [new("CREATE TRIGGER", TriggerStart(), _ => null)];

    [GeneratedRegex(@"^CREATE (OR REPLACE )?(CONSTRAINT )?TRIGGER ")]
    private static partial Regex TriggerStart();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } =
        [new("trigger", (m, d) => (m.Triggers.Any(t => t.Table == d.Table && t.Name == d.Name), false))];

    public override IEnumerable<NamedObject> Named(SchemaModel model) => [];

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy)
    {
        if (whole && live.Table(name) is not null) foreach (var t in live.Triggers.Where(t => t.Table == name)) copy.WantIn(t.Definition);
    }

    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) =>
        model with { Triggers = model.Triggers.Where(t => copy.Full.Contains(t.Table)).ToList() };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [];

    public override Ownership? Owned => null;

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
