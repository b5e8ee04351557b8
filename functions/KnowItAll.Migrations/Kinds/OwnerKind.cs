using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>
/// Owners: in a desired model only those schema/ states (ALTER ... OWNER TO, which the desired load takes apart itself), set
/// last, once every object exists; an owner schema/ does not state is never compared.
/// </summary>
internal sealed class OwnerKind : ObjectKind
{
    public override string Name => "owner";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Owners)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(OwnerCatalog.Query, true, OwnerCatalog.ReadAsync, (m, v) => m with { Owners = v })];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var o in model.Owners.OrderBy(o => o.Key, StringComparer.Ordinal)) KindRegistry.Line(text, "owner ", o.Key + " " + o.Owner);
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) =>
        model with { Owners = model.Owners.Select(o => o with { Identity = rename(o.Identity) }).ToList() };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => OwnerDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } =
    [
        "extension", "enum", "domain", "range_type", "composite_type", "sequence", "function", "table", "index", "constraint", "view",
        "trigger", "policy", "comment", "privilege",
    ];

    public override IReadOnlyList<PlanStep> Steps { get; } = [new("set", OwnerPlanner.Plan)];

    public override IReadOnlyList<StatementForm> Forms { get; } = [];

    public override IReadOnlyList<DeclarationForm> Declarations { get; } = [];

    public override IEnumerable<NamedObject> Named(SchemaModel model) => [];

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy) { }

    // The plan's proof copies no owners.
    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) => model with { Owners = [] };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [];

    public override Ownership? Owned => null;

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
