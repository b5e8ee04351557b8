using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>Row-level security policies: created when missing, altered in place, or replaced in the transaction when the command changes.</summary>
internal sealed partial class PolicyKind : ObjectKind
{
    public override string Name => "policy";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Policies)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(PolicyCatalog.Query, false, PolicyCatalog.ReadAsync, (m, v) => m with { Policies = v }, [CatalogCensus.Policies])];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var p in model.Policies.OrderBy(p => p.Table, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal))
            KindRegistry.Line(text, "policy ", $"{p.Table} {p.Name} {p.Describe()}");
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) => model with
    {
        Policies = model.Policies.Select(p => p with
        {
            Using = p.Using is null ? null : rename(p.Using),
            Check = p.Check is null ? null : rename(p.Check),
        }).ToList(),
    };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => PolicyDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = ["function", "table", "constraint", "index", "view", "trigger"];

    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", PolicyPlanner.Plan)];

    public override IReadOnlyList<StatementForm> Forms { get; } = [new("CREATE POLICY", PolicyStart(), _ => null)];

    [GeneratedRegex(@"^CREATE POLICY ")]
    private static partial Regex PolicyStart();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } =
        [new("policy", (m, d) => (m.Policies.Any(p => p.Table == d.Table && p.Name == d.Name), false))];

    public override IEnumerable<NamedObject> Named(SchemaModel model) => [];

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy)
    {
        if (whole && live.Table(name) is not null) foreach (var p in live.Policies.Where(p => p.Table == name)) copy.WantIn(p.Using, p.Check);
    }

    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) =>
        model with { Policies = model.Policies.Where(p => copy.Full.Contains(p.Table)).ToList() };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [];

    public override Ownership? Owned => null;

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
