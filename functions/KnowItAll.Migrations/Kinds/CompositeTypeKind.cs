using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>Composite types: created when missing, a missing attribute added; other kinds of CREATE TYPE are refused.</summary>
internal sealed partial class CompositeTypeKind : ObjectKind
{
    public override string Name => "composite_type";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.CompositeTypes)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(DomainCatalog.CompositeTypes, false, DomainCatalog.ReadCompositeTypesAsync, (m, v) => m with { CompositeTypes = v },
            [CatalogCensus.CompositeTypes])];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var c in model.CompositeTypes.OrderBy(c => c.Name, StringComparer.Ordinal))
            KindRegistry.Line(text, "composite ", c.Name + " " + c.Describe());
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) => model with
    {
        CompositeTypes = model.CompositeTypes.Select(c => c with { Attributes = c.Attributes.Select(a => a with { Type = rename(a.Type) }).ToList() })
            .ToList(),
    };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => CompositeTypeDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = ["extension", "enum", "domain", "range_type"];

    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", CompositeTypePlanner.Plan, ["view/drop-replaced"])];

    // The enum form (EnumKind) comes first in the registry, so what reaches the last form here is another kind of type.
    public override IReadOnlyList<StatementForm> Forms { get; } =
    [
        new("CREATE TYPE ... AS (attributes)", CompositeType(), _ => null),
        new("", TypeStart(),
            _ => "of CREATE TYPE only enum types (AS ENUM), range types (AS RANGE) and composite types (AS (attributes)) are modelled"),
    ];

    [GeneratedRegex(@"^CREATE TYPE (""[^""]+""|\S+) AS ?\(")]
    private static partial Regex CompositeType();

    [GeneratedRegex(@"^CREATE TYPE ")]
    private static partial Regex TypeStart();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } =
    [
        new("type", (m, d) => (m.CompositeTypes.Any(c => c.Name == d.Name), d.NewName is not null && m.CompositeTypes.Any(c => c.Name == d.NewName)),
            (m, d) => LiveRename.Type(m with
            {
                CompositeTypes = m.CompositeTypes.Select(c => c.Name == d.Name ? c with { Name = d.NewName! } : c).ToList(),
            }, d)),
    ];

    public override IEnumerable<NamedObject> Named(SchemaModel model) =>
        model.CompositeTypes.Select(c => new NamedObject(NameSpace.Type, c.Name, ObjectKeys.Type(model.Schema, c.Name)));

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy)
    {
        if (whole) foreach (var t in live.CompositeTypes.Where(t => t.Name == name)) copy.WantIn(t.Attributes.Select(a => a.Type));
    }

    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) =>
        model with { CompositeTypes = model.CompositeTypes.Where(t => copy.Full.Contains(t.Name)).ToList() };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [(StatementKind.CompositeType, InitFile.Types)];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [PrivilegeCheck.Type];

    public override Ownership? Owned { get; } = new("pg_type", [("TYPE", ["TYPE"])]);

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
