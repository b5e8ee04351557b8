using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>
/// Extensions: created when missing (at the version schema/ states), updated to a stated version, never dropped. The names
/// of volatile functions (any schema) come with them: a default that calls one makes adding a column rewrite the table.
/// CREATE EXTENSION is taken apart by the desired load itself (its schema and version), so no form of its own is checked here.
/// </summary>
internal sealed class ExtensionKind : ObjectKind
{
    public override string Name => "extension";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Extensions), nameof(SchemaModel.VolatileFunctions)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
    [
        CatalogQuery.Of(ExtensionCatalog.Query, false, ExtensionCatalog.ReadAsync, (m, v) => m with { Extensions = v }),
        CatalogQuery.Of(ExtensionCatalog.VolatileFunctions, false, ExtensionCatalog.ReadVolatileAsync, (m, v) => m with { VolatileFunctions = v }),
    ];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var e in model.Extensions.OrderBy(e => e.Name, StringComparer.Ordinal))
            KindRegistry.Line(text, "ext ", e.Version is null ? $"{e.Name} {e.Schema}" : $"{e.Name} {e.Schema} version {e.Version}");
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) => model;

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => ExtensionDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = [];

    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", ExtensionPlanner.Plan)];

    public override IReadOnlyList<StatementForm> Forms { get; } = [];

    public override IReadOnlyList<DeclarationForm> Declarations { get; } = [];

    public override IEnumerable<NamedObject> Named(SchemaModel model) => [];

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy) { }

    // What an installed extension owns is used where it is, never copied.
    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) => model with { Extensions = [] };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [(StatementKind.Extension, InitFile.Schema)];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [];

    public override Ownership? Owned => null;

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
