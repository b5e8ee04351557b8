using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>Enum types: created when missing, a missing value added in its place (before the transaction), never a value removed.</summary>
internal sealed partial class EnumKind : ObjectKind
{
    public override string Name => "enum";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Enums)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(EnumCatalog.Query, false, EnumCatalog.ReadAsync, (m, v) => m with { Enums = v }, [CatalogCensus.Enums])];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var e in model.Enums.OrderBy(e => e.Name, StringComparer.Ordinal))
            KindRegistry.Line(text, "enum ", e.Name + " " + string.Join(',', e.Labels));
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) => model;

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => EnumDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = ["extension"];

    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", EnumPlanner.Plan)];

    public override IReadOnlyList<StatementForm> Forms { get; } =
    [
        new("CREATE TYPE ... AS ENUM", EnumType(), _ => null),
        new("ALTER TYPE ... ADD VALUE", AlterType(), words => AlterTypeAddValue().IsMatch(words)
            ? null : "of ALTER TYPE only ADD VALUE is accepted (and a declared RENAME TO / RENAME VALUE)"),
    ];

    [GeneratedRegex(@"^CREATE TYPE (""[^""]+""|\S+) AS ENUM ?\(")]
    private static partial Regex EnumType();

    [GeneratedRegex(@"^ALTER TYPE ")]
    private static partial Regex AlterType();

    [GeneratedRegex(@"^ALTER TYPE (""[^""]+""|\S+) ADD VALUE ")]
    private static partial Regex AlterTypeAddValue();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } =
    [
        new("type", (m, d) => (m.Enums.Any(e => e.Name == d.Name), d.NewName is not null && m.Enums.Any(e => e.Name == d.NewName)),
            (m, d) => LiveRename.Type(m with { Enums = m.Enums.Select(e => e.Name == d.Name ? e with { Name = d.NewName! } : e).ToList() }, d)),
        new("enum_value", (m, d) => (m.Enums.Any(e => e.Name == d.Table && e.Labels.Contains(d.Name, StringComparer.Ordinal)),
            m.Enums.Any(e => e.Name == d.Table && d.NewName is not null && e.Labels.Contains(d.NewName, StringComparer.Ordinal))),
            LiveRename.EnumValue, "enum_value"),
    ];

    public override IEnumerable<NamedObject> Named(SchemaModel model) =>
        model.Enums.Select(e => new NamedObject(NameSpace.Type, e.Name, ObjectKeys.Type(model.Schema, e.Name)));

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy) { }

    // The values the plan adds before its transaction are in the copy already (PlanProof's remarks).
    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy)
    {
        var desiredEnums = desired.Enums.ToDictionary(e => e.Name, StringComparer.Ordinal);
        return model with
        {
            Enums = model.Enums.Where(e => copy.Full.Contains(e.Name))
                .Select(e => desiredEnums.TryGetValue(e.Name, out var d) && e.Labels.All(d.Labels.Contains) ? d : e).ToList(),
        };
    }

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } =
        [(StatementKind.Enum, InitFile.Types), (StatementKind.EnumValue, InitFile.Types)];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [PrivilegeCheck.Type];

    public override Ownership? Owned { get; } = new("pg_type", [("TYPE", ["TYPE"])]);

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
