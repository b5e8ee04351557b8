using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>Domains: created when missing; default, NOT NULL and checks altered in place (a check added NOT VALID, then validated).</summary>
internal sealed partial class DomainKind : ObjectKind
{
    public override string Name => "domain";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Domains)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(DomainCatalog.Domains, false, DomainCatalog.ReadDomainsAsync, (m, v) => m with { Domains = v }, [CatalogCensus.Domains])];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var d in model.Domains.OrderBy(d => d.Name, StringComparer.Ordinal)) KindRegistry.Line(text, "domain ", d.Name + " " + d.Describe());
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) => model with
    {
        Domains = model.Domains.Select(d => d with
        {
            BaseType = rename(d.BaseType),
            Default = d.Default is null ? null : rename(d.Default),
            Checks = d.Checks.Select(k => k with { Definition = rename(k.Definition) }).ToList(),
        }).ToList(),
    };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => DomainDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = ["extension", "enum"];

    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", DomainPlanner.Plan)];

    public override IReadOnlyList<StatementForm> Forms { get; } = [new("CREATE DOMAIN", DomainStart(), _ => null)];

    [GeneratedRegex(@"^CREATE DOMAIN ")]
    private static partial Regex DomainStart();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } = [];

    public override IEnumerable<NamedObject> Named(SchemaModel model) =>
        model.Domains.Select(d => new NamedObject(NameSpace.Type, d.Name, ObjectKeys.Type(model.Schema, d.Name)));

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy)
    {
        if (!whole) return;
        foreach (var d in live.Domains.Where(d => d.Name == name)) copy.WantIn([d.BaseType, d.Default, .. d.Checks.Select(k => k.Definition)]);
    }

    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) =>
        model with { Domains = model.Domains.Where(d => copy.Full.Contains(d.Name)).ToList() };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } =
        [(StatementKind.Domain, InitFile.Types), (StatementKind.DomainCheck, InitFile.Types)];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [PrivilegeCheck.Type];

    public override Ownership? Owned { get; } = new("pg_type", [("DOMAIN", ["DOMAIN", "TYPE"])]);

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
