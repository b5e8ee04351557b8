using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Turns a diff into ordered, additive, idempotent statements: each kind's planning steps in the order the kinds' declared
/// dependencies give (<see cref="KindRegistry.PlanningOrder"/>), then, within each phase, every statement moved after the
/// statements that create what it needs (<see cref="DependencyOrder"/>). What must not hold a lock for a scan runs outside the
/// transaction. Nothing here
/// ever drops a table or column or deletes rows; the in-place alterations of a column (a default, NOT NULL or an identity
/// dropped, a type changed) keep every row, and what cannot be done safely is a blocking hazard on the plan.
/// </summary>
public static partial class Planner
{
    /// <summary>
    /// Plans one schema, no other managed:
    /// <see cref="PlanAsync(IReadOnlyList{ManagedSchema}, string, string, MigrationOptions, TableSizes)"/>.
    /// </summary>
    public static Task<MigrationPlan> PlanAsync(SchemaModel desired, string desiredFingerprint, SchemaModel live, string liveFingerprint,
        SchemaDiff diff, MigrationOptions options, Func<IReadOnlyCollection<string>, Task<IReadOnlyDictionary<string, TableSize>>> tableSizes) =>
        PlanAsync([new ManagedSchema(desired, live, diff)], desiredFingerprint, liveFingerprint, options, (_, tables) => tableSizes(tables));

    /// <summary>
    /// Plans every managed schema together, the target schema's first: each kind for all schemas before the next kind. The
    /// sizes asked through <paramref name="tableSizes"/> (of tables whose statistics call them empty, and of tables a change
    /// would rewrite) are those a change depends on only (usually none: a plan that touches no existing table asks nothing);
    /// it plans again with the answers until nothing more is asked.
    /// </summary>
    public static async Task<MigrationPlan> PlanAsync(IReadOnlyList<ManagedSchema> schemas, string desiredFingerprint, string liveFingerprint,
        MigrationOptions options, TableSizes tableSizes)
    {
        var known = schemas.ToDictionary(s => s.Desired.Schema, _ => new Dictionary<string, TableSize>(StringComparer.Ordinal),
            StringComparer.Ordinal);
        while (true)
        {
            var statements = new PlanStatements(options.TargetSchema);
            var builders = schemas.Select(s => new PlanBuilder(s.Desired, s.Diff.RenamedLive ?? s.Live, s.Diff, s.Desired.Schema,
                known[s.Desired.Schema], statements)).ToList();
            var plan = Plan(schemas, builders, statements, desiredFingerprint, liveFingerprint, options);
            if (builders.All(b => b.Unsized.Count == 0)) return plan;
            foreach (var builder in builders.Where(b => b.Unsized.Count > 0))
            {
                var sizes = await tableSizes(builder.Schema, builder.Unsized);
                foreach (var table in builder.Unsized) known[builder.Schema][table] = sizes.GetValueOrDefault(table, TableSize.Empty);
            }
        }
    }

    /// <summary>The sizes of <c>tables</c> of <c>schema</c>, for the planner to decide how a change to them is made.</summary>
    public delegate Task<IReadOnlyDictionary<string, TableSize>> TableSizes(string schema, IReadOnlyCollection<string> tables);

    /// <summary>
    /// The planning steps: the declared renames first, then every kind's steps in the order their declared dependencies give
    /// (<see cref="KindRegistry.PlanningOrder"/>), the declared removals last.
    /// </summary>
    private static readonly Action<PlanBuilder>[] Steps =
        [RetirementPlanner.PlanRenames, .. KindRegistry.PlanningOrder.Select(s => s.Step.Plan), RetirementPlanner.PlanRemovals];

    private static MigrationPlan Plan(IReadOnlyList<ManagedSchema> schemas, List<PlanBuilder> builders, PlanStatements planned,
        string desiredFingerprint, string liveFingerprint, MigrationOptions options)
    {
        foreach (var s in schemas.Where(s => !s.Exists))
            planned.InTransaction.Add(new PlannedStatement(0, StatementKind.Schema, s.Desired.Schema,
                $"CREATE SCHEMA IF NOT EXISTS {Identifier.Quote(s.Desired.Schema)}", LockLevel.None, true, []));
        foreach (var step in Steps)
            foreach (var builder in builders)
                step(builder);

        var statements = planned.Ordered();
        Guard(statements, builders[0].Desired.Declarations);
        var awaiting = AwaitingOptIn(statements, options);
        var blocking = builders.SelectMany(b => b.Blocking).ToList();
        List<string> Names<T>(Func<SchemaDiff, IEnumerable<T>> items, Func<T, string> name) =>
            [.. builders.SelectMany(b => items(b.Diff).Select(i => planned.Shown(b.Schema, name(i))))];
        return new MigrationPlan(
            // A plan that can only be refused still has changes: the workflow must reach Apply and fail, not report "no changes".
            HasChanges: statements.Count > 0 || blocking.Count > 0,
            TargetSchema: options.TargetSchema,
            PlanHash: PlanHasher.Hash(options.TargetSchema, statements),
            SchemaFingerprint: liveFingerprint,
            DesiredFingerprint: desiredFingerprint,
            Statements: statements,
            Summary: new PlanSummary(
                Names(d => d.MissingExtensions, e => e.Name),
                Names(d => d.MissingSequences, s => s.Name),
                Names(d => d.MissingTables, t => t.Name),
                Names(d => d.MissingColumns, c => $"{c.Table.Name}.{c.Column.Name}"),
                Names(d => d.MissingIndexes, i => i.Name),
                Names(d => d.MissingConstraints, c => $"{c.Table}.{c.Name}"),
                [.. builders.SelectMany(b => b.Grants)])
            {
                OtherChanges = [.. schemas.Where(s => !s.Exists).Select(s => $"schema {s.Desired.Schema} created"),
                    .. builders.SelectMany(b => b.Other)],
            },
            Drift: [.. builders.SelectMany(b => b.Diff.Drift.Select(d => d with { Name = planned.Shown(b.Schema, d.Name) }))],
            DurationMs: 0)
        { Blocking = [.. awaiting, .. blocking], AwaitingOptIn = awaiting };
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
        StatementKind.FunctionReplace => FunctionPlanner.WithoutReplacedDrop(sql),
        StatementKind.DomainAlter or StatementKind.DomainCheckReplace => DomainPlanner.WithoutInPlaceAlteration(sql),
        StatementKind.Trigger => TriggerEvents().Replace(sql, "_"),
        // Disabling a trigger is a state schema/ declares for it (ALTER TABLE … DISABLE TRIGGER name), never a removal.
        StatementKind.TriggerState => TriggerState().Replace(sql, "_"),
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

    [GeneratedRegex(@"^ALTER TABLE \S+ (DISABLE|ENABLE( REPLICA| ALWAYS)?) TRIGGER ""(?:[^""]|"""")+""$")]
    private static partial Regex TriggerState();

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
