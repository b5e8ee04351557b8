using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>
/// Indexes: built in the transaction on an empty or new table, CONCURRENTLY after it on a table with rows; a changed one
/// built again under a temporary name, the old one dropped and the new one renamed.
/// </summary>
internal sealed partial class IndexKind : ObjectKind
{
    public override string Name => "index";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Indexes)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(IndexCatalog.Query, true, IndexCatalog.ReadAsync, (m, v) => m with { Indexes = v })];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var i in model.Indexes.OrderBy(i => i.Name, StringComparer.Ordinal)) KindRegistry.Line(text, "idx ", i.ToString());
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) =>
        model with { Indexes = model.Indexes.Select(i => i with { Definition = rename(i.Definition) }).ToList() };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => IndexDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = [];

    // An index of a materialized view moves after the view (its statement's declared need).
    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", IndexPlanner.Plan, ["table/create", "constraint/create"])];

    public override IReadOnlyList<StatementForm> Forms { get; } =
    [
        new("CREATE INDEX", IndexStart(), words => words.Contains(" CONCURRENTLY ", StringComparison.Ordinal)
            ? "schema files declare indexes; the engine decides when to build them CONCURRENTLY" : null),
        new("ALTER INDEX ... ATTACH PARTITION (as pg_dump writes a partitioned table's index: CREATE INDEX ... ON ONLY, then each " +
            "partition's index attached)", AlterIndexStart(), words => AlterIndexAttach().IsMatch(words)
            ? null : "of ALTER INDEX only ATTACH PARTITION is accepted (and a declared RENAME TO)"),
    ];

    [GeneratedRegex(@"^CREATE (UNIQUE )?INDEX ")]
    private static partial Regex IndexStart();

    [GeneratedRegex(@"^ALTER INDEX ")]
    private static partial Regex AlterIndexStart();

    // Names may be qualified and quoted: a run of quoted parts and other non-space characters.
    [GeneratedRegex(@"^ALTER INDEX (IF EXISTS )?(""[^""]*""|[^\s""])+ ATTACH PARTITION (""[^""]*""|[^\s""])+$")]
    private static partial Regex AlterIndexAttach();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } =
        [new("index", (m, d) => (m.Indexes.Any(i => i.Name == d.Name), m.Indexes.Any(i => i.Name == d.NewName)), LiveRename.Index)];

    public override IEnumerable<NamedObject> Named(SchemaModel model) => [];

    // A whole table has its indexes; an index has its table.
    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy)
    {
        if (!whole) return;
        if (live.Table(name) is not null) foreach (var i in live.Indexes.Where(i => i.Table == name)) copy.WantIn(i.Definition);
        foreach (var i in live.Indexes.Where(i => i.Name == name)) copy.Want(i.Table);
    }

    // A shell keeps its unique indexes (a foreign key may reference one).
    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) => model with
    {
        Indexes = model.Indexes.Where(i => copy.Full.Contains(i.Table) || (copy.Shells.Contains(i.Table) && i.IsUnique)).ToList(),
    };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [(StatementKind.Index, InitFile.Index)];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [];

    public override Ownership? Owned => null;

    // An index made again on the copy, compared by what follows USING and by what precedes it.
    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live)
    {
        var wanted = desired.Indexes.GroupBy(i => i.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var i in live.Indexes)
        {
            if (!wanted.TryGetValue(i.Name, out var d) || d.Table != i.Table || d.Definition == i.Definition
                || DefinitionEquivalence.Using(i.Definition) is not { } keys) continue;
            yield return new Reparse(i.Table, (copy, name) => $"CREATE {(i.IsUnique ? "UNIQUE " : "")}INDEX {name} ON pg_temp.{copy} USING {keys}",
                (_, name) => $"SELECT pg_get_indexdef('pg_temp.{name}'::regclass)",
                (model, text) => DefinitionEquivalence.Using(text) == DefinitionEquivalence.Using(d.Definition)
                    && DefinitionEquivalence.Head(i.Definition) == DefinitionEquivalence.Head(d.Definition)
                    ? model with { Indexes = model.Indexes.Select(x => x.Name == i.Name ? x with { Definition = d.Definition } : x).ToList() }
                    : null);
        }
    }
}
