using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>
/// Constraints of existing tables (a new table carries its own): a check or foreign key added NOT VALID and validated after
/// the transaction, a unique key attached over an index built concurrently, a changed one replaced under a temporary name.
/// Schema files add them with ALTER TABLE ... ADD (the table kind's form).
/// </summary>
internal sealed class ConstraintKind : ObjectKind
{
    public override string Name => "constraint";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Constraints)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(ConstraintCatalog.Query, false, ConstraintCatalog.ReadAsync, (m, v) => m with { Constraints = v })];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var c in model.Constraints.OrderBy(c => c.Table, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal))
            KindRegistry.Line(text, "con ", c.ToString());
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) =>
        model with { Constraints = model.Constraints.Select(c => c with { Definition = rename(c.Definition) }).ToList() };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => ConstraintDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = [];

    // A foreign key to a unique index the plan builds, or a key attached over an index, moves after the index (declared needs).
    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", ConstraintPlanner.Plan, ["table/create"])];

    public override IReadOnlyList<StatementForm> Forms { get; } = [];

    public override IReadOnlyList<DeclarationForm> Declarations { get; } =
        [new("constraint", (m, d) => (m.Constraints.Any(c => c.Table == d.Table && c.Name == d.Name), false))];

    public override IEnumerable<NamedObject> Named(SchemaModel model) => [];

    // A whole table has its constraints (a foreign key only the shell of what it references); a constraint has its table.
    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy)
    {
        if (!whole) return;
        if (live.Table(name) is not null)
            foreach (var k in live.Constraints.Where(k => k.Table == name))
            {
                if (k.Type == 'f') copy.WantShell(k.ReferencedTable);
                else copy.WantIn(k.Definition);
            }
        foreach (var k in live.Constraints.Where(k => k.Name == name)) copy.Want(k.Table);
    }

    // A shell keeps its keys.
    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) => model with
    {
        Constraints = model.Constraints.Where(k => copy.Full.Contains(k.Table) || (copy.Shells.Contains(k.Table) && k.Type is 'p' or 'u')).ToList(),
    };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [(StatementKind.Constraint, InitFile.ForeignKey)];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [];

    public override Ownership? Owned => null;

    // A check added again, NOT VALID, on the copy.
    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live)
    {
        var wanted = desired.Constraints.Where(k => k.Type == 'c').ToDictionary(k => (k.Table, k.Name));
        foreach (var k in live.Constraints)
        {
            if (k.Type != 'c' || !wanted.TryGetValue((k.Table, k.Name), out var d) || d.Definition == k.Definition) continue;
            yield return new Reparse(k.Table, (copy, name) => $"ALTER TABLE pg_temp.{copy} ADD CONSTRAINT {name} {k.Definition} NOT VALID",
                (copy, name) =>
                    $"SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'pg_temp.{copy}'::regclass AND conname = '{name}'",
                (model, text) => (text.EndsWith(" NOT VALID", StringComparison.Ordinal) ? text[..^" NOT VALID".Length] : text) != d.Definition ? null
                    : model with
                    {
                        Constraints = model.Constraints
                            .Select(x => x.Type == 'c' && x.Table == k.Table && x.Name == k.Name ? x with { Definition = d.Definition } : x).ToList(),
                    });
        }
    }
}
