using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>
/// Tables and their columns: created when missing, a missing column added, columns altered in place (type, default, NOT NULL,
/// identity, collation), storage options, row security, REPLICA IDENTITY; never a table or column dropped.
/// </summary>
internal sealed partial class TableKind : ObjectKind
{
    public override string Name => "table";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Tables)];

    // The tables first, their columns then put into them.
    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
    [
        CatalogQuery.Of(TableCatalog.Tables, false, TableCatalog.ReadAsync, (m, v) => m with { Tables = v }),
        CatalogQuery.Of(TableCatalog.Columns, false, TableCatalog.ReadColumnsAsync, (m, columns) => m with
        {
            Tables = m.Tables.Select(t => t with { Columns = columns.TryGetValue(t.Name, out var c) ? c : [] }).ToList(),
        }),
    ];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var t in model.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            text.Write("table "); text.Write(t.Name); text.Write(' '); text.Write(t.Describe()); text.Write('\n');
            foreach (var c in t.Columns.OrderBy(c => c.Name, StringComparer.Ordinal))
                KindRegistry.Line(text, "  col ", (c with { Ordinal = 0 }).ToString());
        }
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) => model with
    {
        Tables = model.Tables.Select(t => t with
        {
            Columns = t.Columns.Select(c => c with { Type = rename(c.Type), Default = c.Default is null ? null : rename(c.Default) }).ToList(),
            PartitionKey = t.PartitionKey is null ? null : rename(t.PartitionKey),
            PartitionBound = t.PartitionBound is null ? null : rename(t.PartitionBound),
            Inherits = t.Inherits.Select(rename).ToList(),
        }).ToList(),
    };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => TableDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = ["extension", "enum", "domain", "range_type", "composite_type", "sequence"];

    // A column's type changes only once the views that read it are dropped; REPLICA IDENTITY USING INDEX needs the index.
    public override IReadOnlyList<PlanStep> Steps { get; } =
    [
        new("create", TablePlanner.Plan, ["view/drop-replaced", "function/create"]),
        new("replica-identity", ColumnAlterationPlanner.ReplicaIdentities, ["index/create"]),
    ];

    public override IReadOnlyList<StatementForm> Forms { get; } =
    [
        new("CREATE TABLE (also INHERITS) / UNLOGGED TABLE", TableStart(), words => TableAs().IsMatch(words)
            ? "CREATE TABLE ... AS copies data; declare the table's columns instead"
            : StatementAcceptance.UnmodelledClause(words) is { } clause ? $"CREATE TABLE ... {clause} is not modelled by this engine" : null),
        new("ALTER TABLE ... ADD, ALTER COLUMN ... SET DEFAULT / SET NOT NULL / ADD GENERATED / SET GENERATED / SET (identity options), " +
            "VALIDATE CONSTRAINT, ENABLE / FORCE ROW LEVEL SECURITY, DISABLE / ENABLE [REPLICA | ALWAYS] TRIGGER name, " +
            "SET (storage parameters), SET LOGGED / UNLOGGED, ATTACH PARTITION, REPLICA IDENTITY", AlterTableStart(), AlterTable),
    ];

    private static string? AlterTable(string words)
    {
        var m = AlterTableHead().Match(words);
        if (!m.Success) return "ALTER TABLE needs a table name and an action";
        foreach (var action in StatementAcceptance.SplitTopLevel(words[m.Length..]))
        {
            if (action.StartsWith("DROP ", StringComparison.Ordinal) || action.StartsWith("RENAME ", StringComparison.Ordinal))
                return $"ALTER TABLE ... {StatementAcceptance.Head(action)} beside other actions: a removal or rename is declared in an ALTER " +
                    $"TABLE statement of its own ({DeclarationParser.Accepted})";
            if (TriggerStateAction().IsMatch(action)) continue;
            if (DestructiveAction().IsMatch(action))
                return $"schema files declare what should exist: ALTER TABLE ... {StatementAcceptance.Head(action)} is never applied by this engine";
            if (!AllowedTableAction().IsMatch(action))
                return $"ALTER TABLE ... {StatementAcceptance.Head(action)} is not modelled by this engine";
        }
        return null;
    }

    [GeneratedRegex(@"^CREATE (UNLOGGED )?TABLE ")]
    private static partial Regex TableStart();

    [GeneratedRegex(@"^CREATE (UNLOGGED )?TABLE (IF NOT EXISTS )?(""[^""]+""|\S+)( \([^)]*\))? AS\b")]
    private static partial Regex TableAs();

    [GeneratedRegex(@"^ALTER TABLE ")]
    private static partial Regex AlterTableStart();

    [GeneratedRegex(@"^ALTER TABLE (IF EXISTS )?(ONLY )?((""[^""]+""|[^ "".]+)\.)?(""[^""]+""|[^ "".]+) ")]
    private static partial Regex AlterTableHead();

    [GeneratedRegex(
        @"^(DROP|RENAME|DISABLE|NO FORCE|OWNER TO|SET SCHEMA|DETACH|RESET|NO INHERIT|NOT OF)\b|^ALTER (COLUMN )?\S+ (TYPE|SET DATA TYPE|DROP)\b")]
    private static partial Regex DestructiveAction();

    // One trigger by name (ALL and USER would reach triggers schema/ does not name, and the internal ones of keys).
    [GeneratedRegex(@"^(DISABLE|ENABLE( REPLICA| ALWAYS)?) TRIGGER (?!(ALL|USER)$)(""[^""]+""|[^\s""]+)$")]
    private static partial Regex TriggerStateAction();

    [GeneratedRegex(
        @"^(ADD\b|VALIDATE CONSTRAINT |ENABLE ROW LEVEL SECURITY$|FORCE ROW LEVEL SECURITY$|SET \(|SET (LOGGED|UNLOGGED)$|ATTACH PARTITION " +
        @"|REPLICA IDENTITY (DEFAULT|FULL|NOTHING|USING INDEX \S+)$|ALTER (COLUMN )?(""[^""]+""|\S+) (SET DEFAULT |SET NOT NULL$|ADD GENERATED " +
        @"|(?!.*\bRESTART\b)SET (GENERATED|START|INCREMENT|MINVALUE|MAXVALUE|NO MINVALUE|NO MAXVALUE|CACHE|CYCLE|NO CYCLE)\b))")]
    private static partial Regex AllowedTableAction();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } =
    [
        new("table", (m, d) => (m.Table(d.Name) is not null, d.NewName is not null && m.Table(d.NewName) is not null), LiveRename.Table),
        new("column", (m, d) => (m.Table(d.Table!)?.Columns.Any(c => c.Name == d.Name) == true,
            d.NewName is not null && m.Table(d.Table!)?.Columns.Any(c => c.Name == d.NewName) == true), LiveRename.Column, "column"),
    ];

    public override IEnumerable<NamedObject> Named(SchemaModel model) =>
        model.Tables.Select(t => new NamedObject(NameSpace.Relation, t.Name, ObjectKeys.Table(model.Schema, t.Name)));

    // A table's shell too has its columns, and its partitions' parent.
    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy)
    {
        if (live.Table(name) is not { } table) return;
        foreach (var c in table.Columns) copy.WantIn(c.Type, c.Default);
        copy.WantShell(table.PartitionOf);
    }

    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) =>
        model with { Tables = model.Tables.Where(t => copy.Full.Contains(t.Name) || copy.Shells.Contains(t.Name)).ToList() };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [];

    // The table check is also the check of privileges on views (they are granted ON TABLE).
    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } =
    [
        new(PrivilegeObjectKind.Table, "CASE WHEN to_regclass(c.qualified) IS NULL THEN false ELSE has_table_privilege($1, c.qualified, c.priv) END"),
        new(PrivilegeObjectKind.Column, """
            CASE WHEN NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = to_regclass(c.qualified)
                                  AND a.attname = c.col AND NOT a.attisdropped)
                 THEN false ELSE has_column_privilege($1, c.qualified, c.col, c.priv) END
            """),
    ];

    public override Ownership? Owned { get; } = new("pg_class", [("TABLE", ["TABLE"])]);

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
