using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>
/// Views and materialized views: created when missing, changed with CREATE OR REPLACE where PostgreSQL allows it, otherwise
/// dropped (first, before what they read changes) and created again with their dependants in the transaction.
/// </summary>
internal sealed partial class ViewKind : ObjectKind
{
    public override string Name => "view";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Views)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(ViewCatalog.Query, true, ViewCatalog.ReadAsync, (m, v) => m with { Views = v },
            [CatalogCensus.Views, CatalogCensus.MaterializedViews])];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var v in model.Views.OrderBy(v => v.Name, StringComparer.Ordinal))
            KindRegistry.Line(text, v.Materialized ? "matview " : "view ",
                $"{v.Name} {string.Join(',', v.Options)} {string.Join(',', v.Columns)} {v.Definition}");
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) =>
        model with
        {
            Views = model.Views.Select(v => v with { Definition = rename(v.Definition), Columns = v.Columns.Select(rename).ToList() }).ToList(),
        };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => ViewDiff.Compare(desired, live, diff);

    // The drop of a replaced view comes before everything it reads changes, so the kind as a whole follows nothing.
    public override IReadOnlyList<string> PlannedAfter { get; } = [];

    public override IReadOnlyList<PlanStep> Steps { get; } =
    [
        new("drop-replaced", ViewPlanner.DropReplaced),
        new("create", ViewPlanner.Plan, ["table", "constraint", "index/create", "function/create"]),
    ];

    public override IReadOnlyList<StatementForm> Forms { get; } =
    [
        new("CREATE VIEW", ViewStart(), _ => null),
        new("CREATE MATERIALIZED VIEW (WITH [NO] DATA)", MaterializedViewStart(), words => StatementAcceptance.UnmodelledClause(words) is null
            ? null : "CREATE MATERIALIZED VIEW ... TABLESPACE / USING is not modelled"),
    ];

    [GeneratedRegex(@"^CREATE (OR REPLACE )?(RECURSIVE )?VIEW ")]
    private static partial Regex ViewStart();

    [GeneratedRegex(@"^CREATE MATERIALIZED VIEW ")]
    private static partial Regex MaterializedViewStart();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } =
    [
        new("view", (m, d) => (m.Views.Any(v => v.Name == d.Name && !v.Materialized), m.Views.Any(v => v.Name == d.NewName)), LiveRename.View),
        new("materialized_view", (m, d) => (m.Views.Any(v => v.Name == d.Name && v.Materialized), m.Views.Any(v => v.Name == d.NewName)),
            LiveRename.View),
    ];

    public override IEnumerable<NamedObject> Named(SchemaModel model) =>
        model.Views.Select(v => new NamedObject(NameSpace.Relation, v.Name, ObjectKeys.View(model.Schema, v.Name)));

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy)
    {
        if (whole) foreach (var v in live.Views.Where(v => v.Name == name)) copy.WantIn([v.Definition, .. v.Columns]);
    }

    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) =>
        model with { Views = model.Views.Where(v => copy.Full.Contains(v.Name)).ToList() };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } =
        [(StatementKind.View, InitFile.Views), (StatementKind.MaterializedView, InitFile.Views)];

    // Privileges on views are granted ON TABLE: the table's check (TableKind).
    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [];

    public override Ownership? Owned { get; } =
        new("pg_class", [("VIEW", ["VIEW", "TABLE"]), ("MATERIALIZED VIEW", ["MATERIALIZED VIEW", "TABLE"])]);

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
