using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>Comments, set once every object they name exists; a comment schema/ does not state is drift, never removed.</summary>
internal sealed partial class CommentKind : ObjectKind
{
    public override string Name => "comment";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Comments)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(CommentCatalog.Query, false, CommentCatalog.ReadAsync, (m, v) => m with { Comments = v })];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var c in model.Comments.OrderBy(c => c.Key, StringComparer.Ordinal)) KindRegistry.Line(text, "comment ", c.Key + " " + c.Text);
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) =>
        model with { Comments = model.Comments.Select(c => c with { Identity = rename(c.Identity) }).ToList() };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => CommentDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } =
        ["extension", "enum", "domain", "composite_type", "sequence", "function", "table", "index", "constraint", "view", "trigger", "policy"];

    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", CommentPlanner.Plan)];

    public override IReadOnlyList<StatementForm> Forms { get; } =
    [
        new("COMMENT ON", CommentStart(), words => CommentTarget().IsMatch(words)
            ? null : "COMMENT ON is accepted for tables, columns, views, materialized views, indexes, sequences, types, domains, functions, " +
                "procedures, triggers, constraints and policies"),
    ];

    [GeneratedRegex(@"^COMMENT ON ")]
    private static partial Regex CommentStart();

    [GeneratedRegex(
        @"^COMMENT ON ((TABLE|COLUMN|VIEW|MATERIALIZED VIEW|INDEX|SEQUENCE|TYPE|DOMAIN|FUNCTION|PROCEDURE|ROUTINE|TRIGGER|POLICY) |CONSTRAINT " +
        @"(""[^""]+""|\S+) ON (?!DOMAIN\b))")]
    private static partial Regex CommentTarget();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } = [];

    public override IEnumerable<NamedObject> Named(SchemaModel model) => [];

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy) { }

    // The plan's proof copies no comments.
    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) => model with { Comments = [] };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [(StatementKind.Comment, InitFile.Comment)];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [];

    public override Ownership? Owned => null;

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
