using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>
/// Privileges on the schema, tables, columns, sequences, functions and types (enums, composite and range types, domains): granted
/// when missing (with the grant option when schema/ gives it); one schema/ does not grant is drift, revoked only when schema/
/// declares the REVOKE.
/// </summary>
internal sealed partial class PrivilegeKind : ObjectKind
{
    public override string Name => "privilege";

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.Privileges)];

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(PrivilegeCatalog.Query, true, PrivilegeCatalog.ReadAsync, (m, v) => m with { Privileges = v })];

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var p in model.Privileges.Select(p => p.Grantable ? p.Key + " grantable" : p.Key).Order(StringComparer.Ordinal))
            KindRegistry.Line(text, "priv ", p);
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) => model with
    {
        Privileges = model.Privileges.Select(p => p.ObjectKind switch
        {
            PrivilegeObjectKind.Schema => p with { ObjectName = schema },
            PrivilegeObjectKind.Function => p with { ObjectName = rename(p.ObjectName) },
            _ => p,
        }).ToList(),
    };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => PrivilegeDiff.Compare(desired, live, diff);

    public override IReadOnlyList<string> PlannedAfter { get; } = ["sequence", "function", "table", "index", "constraint", "view", "comment"];

    public override IReadOnlyList<PlanStep> Steps { get; } = [new("grant", GrantPlanner.Plan)];

    public override IReadOnlyList<StatementForm> Forms { get; } =
        [new("GRANT on the schema, tables, columns, sequences, functions and types", GrantStart(), Grant)];

    private static string? Grant(string words)
    {
        if (words.Contains(" GRANTED BY ", StringComparison.Ordinal)) return "GRANTED BY is not modelled";
        if (!words.Contains(" ON ", StringComparison.Ordinal)) return "role memberships (GRANT role TO role) are managed outside schema/";
        if (GrantInSchema().IsMatch(words)) return "GRANT ... ON ALL ... IN SCHEMA is not modelled: grant on each object by name";
        if (GrantUnmodelledTarget().Match(words) is { Success: true } target) return $"GRANT ... ON {target.Groups[1].Value} is not modelled";
        return null;
    }

    [GeneratedRegex(@"^GRANT ")]
    private static partial Regex GrantStart();

    [GeneratedRegex(@" ON ALL (TABLES|SEQUENCES|FUNCTIONS|PROCEDURES|ROUTINES) IN SCHEMA ")]
    private static partial Regex GrantInSchema();

    [GeneratedRegex(@" ON (DATABASE|TABLESPACE|LANGUAGE|LARGE OBJECT|FOREIGN DATA WRAPPER|FOREIGN SERVER|PARAMETER)\b")]
    private static partial Regex GrantUnmodelledTarget();

    public override IReadOnlyList<DeclarationForm> Declarations { get; } = [];

    public override IEnumerable<NamedObject> Named(SchemaModel model) => [];

    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy) { }

    // The plan's proof copies no privileges.
    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) => model with { Privileges = [] };

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [(StatementKind.Grant, InitFile.Grant)];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [];

    public override Ownership? Owned => null;

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}
