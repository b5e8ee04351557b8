using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>
/// Functions and procedures, keyed by signature: created or replaced with CREATE OR REPLACE, or dropped and created again
/// when their argument names or result change and nothing depends on them.
/// </summary>
internal sealed partial class FunctionKind : ObjectKind
{
    public override string Name => "function";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Functions)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(FunctionCatalog.Query, false, FunctionCatalog.ReadAsync, (m, v) => m with { Functions = v }, [CatalogCensus.Functions])];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var f in model.Functions.OrderBy(f => f.Signature, StringComparer.Ordinal))
            KindRegistry.Line(text, "func ", f.Signature + " " + f.Definition);
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) => model with
    {
        Functions = model.Functions.Select(f => f with
        {
            ArgumentTypes = rename(f.ArgumentTypes),
            Result = rename(f.Result),
            Definition = rename(f.Definition),
        }).ToList(),
    };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => FunctionDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = ["extension", "enum", "domain", "range_type", "composite_type"];

    // A function of a row type, or whose body reads a table, moves after what it names (its statements' declared needs).
    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", FunctionPlanner.Plan, ["view/drop-replaced"])];

    public override IReadOnlyList<StatementForm> Forms { get; } = [new("CREATE FUNCTION / PROCEDURE", RoutineStart(), _ => null)];

    [GeneratedRegex(@"^CREATE (OR REPLACE )?(FUNCTION|PROCEDURE) ")]
    private static partial Regex RoutineStart();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } =
    [
        new("function", (m, d) => (m.Functions.Any(f => f.Signature == d.Name && f.Kind != 'p'), false)),
        new("procedure", (m, d) => (m.Functions.Any(f => f.Signature == d.Name && f.Kind == 'p'), false)),
    ];

    // A function is named by its name; a call may mean any of its overloads.
    public override IEnumerable<NamedObject> Named(SchemaModel model) =>
        model.Functions.Select(f => new NamedObject(NameSpace.Function, f.Name, ObjectKeys.Function(model.Schema, f.Signature)));

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy)
    {
        if (whole) foreach (var f in live.Functions.Where(f => f.Name == name)) copy.WantIn(f.ArgumentTypes, f.Result, f.Definition);
    }

    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) =>
        model with { Functions = model.Functions.Where(f => copy.Full.Contains(f.Name)).ToList() };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [(StatementKind.Function, InitFile.Functions)];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } =
    [
        new(PrivilegeObjectKind.Function,
            "CASE WHEN to_regprocedure(c.qualified) IS NULL THEN false ELSE has_function_privilege($1, c.qualified, c.priv) END"),
    ];

    public override Ownership? Owned { get; } =
        new("pg_proc", [("FUNCTION", ["FUNCTION", "ROUTINE"]), ("PROCEDURE", ["PROCEDURE", "ROUTINE"])]);

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
