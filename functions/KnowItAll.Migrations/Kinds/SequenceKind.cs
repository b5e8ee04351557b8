using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>Sequences: created when missing, options and OWNED BY altered in place; the counter is never reset.</summary>
internal sealed partial class SequenceKind : ObjectKind
{
    public override string Name => "sequence";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Sequences)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(SequenceCatalog.Query, true, SequenceCatalog.ReadAsync, (m, v) => m with { Sequences = v }, [CatalogCensus.Sequences])];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var s in model.Sequences.OrderBy(s => s.Name, StringComparer.Ordinal)) KindRegistry.Line(text, "seq ", (s with { }).ToString());
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) =>
        model with { Sequences = model.Sequences.Select(s => s with { DataType = rename(s.DataType) }).ToList() };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => SequenceDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = ["extension"];

    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", SequencePlanner.Plan)];

    public override IReadOnlyList<StatementForm> Forms { get; } =
    [
        new("CREATE SEQUENCE", SequenceStart(), _ => null),
        new("ALTER SEQUENCE (options, OWNED BY)", AlterSequenceStart(), words => AlterSequence().IsMatch(words)
            ? null : "ALTER SEQUENCE ... RESTART / RENAME / OWNER / SET SCHEMA is not part of a desired schema (only its options and OWNED BY are)"),
    ];

    [GeneratedRegex(@"^CREATE SEQUENCE ")]
    private static partial Regex SequenceStart();

    [GeneratedRegex(@"^ALTER SEQUENCE ")]
    private static partial Regex AlterSequenceStart();

    [GeneratedRegex(@"^ALTER SEQUENCE (IF EXISTS )?\S+ (?!.*\b(RESTART|RENAME|OWNER TO|SET SCHEMA|SET LOGGED|SET UNLOGGED)\b)")]
    private static partial Regex AlterSequence();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } =
    [
        new("sequence", (m, d) => (m.Sequences.Any(s => s.Name == d.Name), m.Sequences.Any(s => s.Name == d.NewName)), LiveRename.Sequence),
    ];

    public override IEnumerable<NamedObject> Named(SchemaModel model) => [];

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy)
    {
        if (!whole) return;
        foreach (var s in live.Sequences.Where(s => s.Name == name))
        {
            copy.WantIn(s.DataType);
            copy.WantShell(s.OwnedByTable);
        }
    }

    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) =>
        model with { Sequences = model.Sequences.Where(s => copy.Full.Contains(s.Name)).ToList() };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } =
        [(StatementKind.Sequence, InitFile.Sequence), (StatementKind.SequenceOwner, InitFile.SequenceOwner)];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } =
    [
        new(PrivilegeObjectKind.Sequence,
            "CASE WHEN to_regclass(c.qualified) IS NULL THEN false ELSE has_sequence_privilege($1, c.qualified, c.priv) END"),
    ];

    public override Ownership? Owned { get; } = new("pg_class", [("SEQUENCE", ["SEQUENCE", "TABLE"])]);

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
