using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Turns a diff into ordered, additive, idempotent statements, kind by kind in dependency order: types and
/// functions before the tables that use them, tables before views, views before their triggers and indexes,
/// comments and grants last. What must not hold a lock for a scan runs outside the transaction. Nothing here
/// ever drops a table or column or deletes rows; the in-place alterations of a column (a default, NOT NULL or an identity
/// dropped, a type changed) keep every row, and what cannot be done safely is a blocking hazard on the plan.
/// </summary>
public static partial class Planner
{
    /// <summary>
    /// Plans with the sizes asked through <paramref name="tableSizes"/> (of tables whose statistics call them empty, and of
    /// tables a change would rewrite), for those a change depends on only (usually none: a plan that touches no existing
    /// table asks nothing), then plans again with the answers until nothing more is asked.
    /// </summary>
    public static async Task<MigrationPlan> PlanAsync(SchemaModel desired, string desiredFingerprint, SchemaModel live, string liveFingerprint,
        SchemaDiff diff, MigrationOptions options, Func<IReadOnlyCollection<string>, Task<IReadOnlyDictionary<string, TableSize>>> tableSizes)
    {
        var known = new Dictionary<string, TableSize>(StringComparer.Ordinal);
        while (true)
        {
            var builder = new PlanBuilder(desired, diff.RenamedLive ?? live, diff, options.TargetSchema, known);
            var plan = Plan(builder, desiredFingerprint, liveFingerprint, diff, options);
            if (builder.Unsized.Count == 0) return plan;
            var sizes = await tableSizes(builder.Unsized);
            foreach (var table in builder.Unsized) known[table] = sizes.GetValueOrDefault(table, TableSize.Empty);
        }
    }

    private static MigrationPlan Plan(PlanBuilder builder, string desiredFingerprint, string liveFingerprint, SchemaDiff diff,
        MigrationOptions options)
    {
        RetirementPlanner.PlanRenames(builder);
        ExtensionPlanner.Plan(builder);
        EnumPlanner.Plan(builder);
        DomainPlanner.Plan(builder);
        CompositeTypePlanner.Plan(builder);
        SequencePlanner.Plan(builder);
        FunctionPlanner.Plan(builder, usesRowTypes: false);
        TablePlanner.Plan(builder);
        ConstraintPlanner.Plan(builder);
        IndexPlanner.Plan(builder, onViews: false);
        ColumnAlterationPlanner.ReplicaIdentities(builder);
        ConstraintPlanner.PlanAfterIndexes(builder);
        ViewPlanner.Plan(builder);
        FunctionPlanner.Plan(builder, usesRowTypes: true);
        IndexPlanner.Plan(builder, onViews: true);
        TriggerPlanner.Plan(builder);
        PolicyPlanner.Plan(builder);
        CommentPlanner.Plan(builder);
        GrantPlanner.Plan(builder);
        OwnerPlanner.Plan(builder);
        RetirementPlanner.PlanRemovals(builder);

        var statements = builder.Ordered();
        Guard(statements, builder.Desired.Declarations);
        var awaiting = AwaitingOptIn(statements, options);
        return new MigrationPlan(
            // A plan that can only be refused still has changes: the workflow must reach Apply and fail, not report "no changes".
            HasChanges: statements.Count > 0 || builder.Blocking.Count > 0,
            TargetSchema: options.TargetSchema,
            PlanHash: PlanHasher.Hash(options.TargetSchema, statements),
            SchemaFingerprint: liveFingerprint,
            DesiredFingerprint: desiredFingerprint,
            Statements: statements,
            Summary: new PlanSummary(
                diff.MissingExtensions.Select(e => e.Name).ToList(),
                diff.MissingSequences.Select(s => s.Name).ToList(),
                diff.MissingTables.Select(t => t.Name).ToList(),
                diff.MissingColumns.Select(c => $"{c.Table.Name}.{c.Column.Name}").ToList(),
                diff.MissingIndexes.Select(i => i.Name).ToList(),
                diff.MissingConstraints.Select(c => $"{c.Table}.{c.Name}").ToList(),
                builder.Grants)
            { OtherChanges = builder.Other },
            Drift: diff.Drift,
            DurationMs: 0)
        { Blocking = [.. awaiting, .. builder.Blocking], AwaitingOptIn = awaiting };
    }

    /// <summary>
    /// The hazards of planned statements that the run must allow and has not (<see cref="OptInHazards"/>), deleting ones
    /// first: they block the plan, and say how to allow them.
    /// </summary>
    private static List<Hazard> AwaitingOptIn(IReadOnlyList<PlannedStatement> statements, MigrationOptions options) =>
        statements.SelectMany(s => s.Hazards
                .Where(h => OptInHazards.Codes.Contains(h.Code) && !options.AllowHazards.Contains(h.Code))
                .Select(h => h with
                {
                    ObjectName = s.ObjectName,
                    Message = $"statement {s.Order} {h.Message}; it runs only when the run allows {h.Code.ToWire()} " +
                              $"(--allow-hazards {h.Code.ToWire()}, the environment's allowHazards, or the approval of this exact plan)",
                }))
            .OrderBy(h => h.Code == HazardCode.DeletesData ? 0 : 1)
            .ToList();

    /// <summary>
    /// The last line of defence: whatever the diff says, no statement of a plan may lose data. The one exception is a
    /// statement of a declaration (kind rename, drop or revoke) whose object schema/ declares; any other statement that
    /// drops, renames or revokes is refused, whatever its kind says.
    /// </summary>
    private static void Guard(IEnumerable<PlannedStatement> statements, IReadOnlyList<Declaration> declarations)
    {
        var declared = declarations.Select(d => d.ObjectName).ToHashSet(StringComparer.Ordinal);
        foreach (var s in statements)
            if (!(s.Kind is StatementKind.Rename or StatementKind.Drop or StatementKind.Revoke && declared.Contains(s.ObjectName))
                && Refuses(s.Kind, s.Sql))
                throw new MigrationException(MigrationErrors.UnsafeChange, $"refusing to plan a destructive statement for {s.ObjectName}: {s.Sql}");
    }

    /// <summary>Whether the guard refuses <paramref name="sql"/> planned as a statement of <paramref name="kind"/>.</summary>
    internal static bool Refuses(StatementKind kind, string sql) => IsDestructive(kind switch
    {
        StatementKind.ColumnNotNull => TablePlanner.WithoutHelperDrop(sql),
        StatementKind.ColumnDefault or StatementKind.ColumnNullable or StatementKind.ColumnType or StatementKind.ColumnIdentity
            => ColumnAlterationPlanner.WithoutInPlaceAlteration(sql),
        StatementKind.Function => DollarQuoted().Replace(sql, "_"),
        StatementKind.DomainAlter or StatementKind.DomainCheckReplace => DomainPlanner.WithoutInPlaceAlteration(sql),
        StatementKind.Trigger => TriggerEvents().Replace(sql, "_"),
        StatementKind.Grant => GrantedPrivileges().Replace(sql, "GRANT _ ON"),
        StatementKind.IndexReplace or StatementKind.ConstraintReplace or StatementKind.ViewReplace or StatementKind.TriggerReplace
            or StatementKind.PolicyReplace
            => DropCascade().IsMatch(QuotedText().Replace(sql, "_")) ? sql : TriggerEvents()
                .Replace(Replacement().Replace(QuotedText().Replace(sql, "_"), "_"), "_"),
        _ => sql,
    });

    internal static bool IsDestructive(string sql) => Destructive().IsMatch(QuotedText().Replace(sql, "_"));

    // A function's body is data to this check (it runs only when called); nowhere else is dollar quoting skipped.
    [GeneratedRegex(@"\$(?<tag>[A-Za-z_]*)\$[\s\S]*?\$\k<tag>\$")]
    private static partial Regex DollarQuoted();

    // A trigger may fire on TRUNCATE: that names an event, it truncates nothing.
    [GeneratedRegex(@"\bTRUNCATE\b(?=[^;]*\bON\b)")]
    private static partial Regex TriggerEvents();

    // A GRANT may give the TRUNCATE privilege: that names a right, it truncates nothing. Only the leading list of
    // privilege keywords (and column lists) is skipped, so a second statement after it is still checked.
    [GeneratedRegex(@"^GRANT [A-Z, ]+(?:\([^;()]*\))? ON\b")]
    private static partial Regex GrantedPrivileges();

    // A replacement drops and renames the one object schema/ changed, never with CASCADE (which could take what schema/
    // does not name); a table's rename, a column's drop, TRUNCATE and DELETE stay refused in these statements too.
    [GeneratedRegex(@"\bDROP\s+(?:INDEX(?:\s+CONCURRENTLY)?|CONSTRAINT|(?:MATERIALIZED\s+)?VIEW|TRIGGER|POLICY)\b|" +
        @"\bALTER\s+INDEX\s+(?:IF\s+EXISTS\s+)?\S+\s+RENAME\s+TO\b|\bRENAME\s+CONSTRAINT\b", RegexOptions.IgnoreCase)]
    private static partial Regex Replacement();

    // CASCADE as a drop's behaviour, not a foreign key's action (ON DELETE / ON UPDATE CASCADE).
    [GeneratedRegex(@"(?<!\bON\s+(?:DELETE|UPDATE)\s+)\bCASCADE\b", RegexOptions.IgnoreCase)]
    private static partial Regex DropCascade();

    // Identifiers and literals may say anything ("DROP TABLE" included); only the SQL around them is judged.
    [GeneratedRegex("\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'")]
    private static partial Regex QuotedText();

    // FK actions such as ON DELETE CASCADE are definitions, not deletions, so words are matched with what follows them.
    [GeneratedRegex(@"\bDROP\s+(TABLE|COLUMN|INDEX|CONSTRAINT|SCHEMA|EXTENSION|SEQUENCE|DEFAULT|NOT\s+NULL|VIEW|MATERIALIZED|TYPE|DOMAIN|FUNCTION|" +
        @"PROCEDURE|TRIGGER|POLICY|OWNED|ROLE|IDENTITY|EXPRESSION)\b|\bTRUNCATE\b|\bDELETE\s+FROM\b|\bRENAME\b|\bREVOKE\b|\bDISABLE\b|" +
        @"\bNO\s+FORCE\b|\bALTER\s+COLUMN\b[^;]*\bTYPE\b|\bSET\s+DATA\s+TYPE\b", RegexOptions.IgnoreCase)]
    private static partial Regex Destructive();
}
