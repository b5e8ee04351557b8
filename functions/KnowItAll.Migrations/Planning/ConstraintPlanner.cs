using System.Text.RegularExpressions;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Constraints of existing tables (a new table carries its own). On a table with rows: a CHECK or foreign
/// key is added NOT VALID and validated on its own; a UNIQUE / PRIMARY KEY is built as a unique index
/// concurrently and attached with USING INDEX. A changed constraint is replaced the same way under a temporary name, then
/// the old one dropped and the new one renamed (or attached under the old name) in one statement.
/// </summary>
internal static partial class ConstraintPlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var c in b.Diff.MissingConstraints.Where(c => c.Type != 'f' && (!b.NewTables.Contains(c.Table) || !c.IsValidated)))
            AddConstraint(b, c);
        foreach (var r in b.Diff.ReplacedConstraints.Where(r => r.Desired.Type != 'f')) Replace(b, r);
        foreach (var c in b.Diff.MissingConstraints.Where(c => c.Type == 'f' && PlannedUniqueIndex(b, c) is null)) AddForeignKey(b, c);
        foreach (var r in b.Diff.ReplacedConstraints.Where(r => r.Desired.Type == 'f')) Replace(b, r);
        foreach (var c in b.Diff.UnvalidatedConstraints) AddValidation(b, c);
        PlanAfterIndexes(b);
    }

    private static void Replace(PlanBuilder b, ConstraintReplacement r)
    {
        var c = r.Desired;
        var name = $"{c.Table}.{c.Name}";
        var rows = b.HasRows(c.Table);
        var partitioned = b.IsPartitioned(c.Table);
        b.Other.Add($"{c.TypeName} {name} (replaced)");
        var replaced = new Hazard(HazardCode.ObjectReplaced, r.Old is null && r.NamedIndex is not null
            ? $"drops the index {r.NamedIndex.Name} ({r.NamedIndex.Definition}) that holds the name schema/ gives {c.TypeName} {name}"
            : $"drops the old {c.TypeName} {name} and puts schema/'s in its place in the same statement");
        if (c.Type is 'c' or 'f')
        {
            if (!c.IsValidated || !rows || partitioned)
            {
                var scans = c.IsValidated && rows;
                b.Add(r.Old is null && r.Temporary is null ? StatementKind.Constraint : StatementKind.ConstraintReplace, name,
                    $"ALTER TABLE {b.Q(c.Table)} {Drops(r)}ADD CONSTRAINT {Quote(c.Name)} {c.Definition}{(c.IsValidated ? "" : " NOT VALID")}",
                    LockLevel.AccessExclusive,
                [
                    replaced,
                    .. rows ? new[] { new Hazard(HazardCode.AccessExclusiveLock,
                        $"takes an ACCESS EXCLUSIVE lock on {c.Table}, which has rows{(scans ? ", for the whole check" : " (brief: no scan while " +
                            "NOT VALID)")}") } : [],
                    .. scans ? new[] { Validation(
                        c) with { Message = $"checks every row of {c.Table} while it is locked (a partitioned table cannot add it NOT VALID)" } }
                            : [],
                ]);
                return;
            }
            var temporary = Replacements.Temporary(c.Name);
            var reuse = r.Temporary is not null && r.Temporary.Definition == c.Definition;
            if (!reuse)
            {
                var drop = r.Temporary is null ? "" : $"DROP CONSTRAINT IF EXISTS {Quote(temporary)}, ";
                b.Add(r.Temporary is null ? StatementKind.Constraint : StatementKind.ConstraintReplace, $"{c.Table}.{temporary}",
                    $"ALTER TABLE {b.Q(c.Table)} {drop}ADD CONSTRAINT {Quote(temporary)} {c.Definition} NOT VALID",
                    c.Type == 'f' && r.Temporary is null ? LockLevel.ShareRowExclusive : LockLevel.AccessExclusive,
                    [c.Type == 'f' && r.Temporary is null
                        ? new Hazard(HazardCode.ShareRowExclusiveLock,
                            $"takes a SHARE ROW EXCLUSIVE lock on {c.Table} and {c.ReferencedTable} briefly to add the new {name} as {temporary} " +
                            "(no scan while NOT VALID)")
                        : new Hazard(HazardCode.AccessExclusiveLock,
                            $"takes an ACCESS EXCLUSIVE lock on {c.Table} briefly to add the new {name} as {temporary} (no scan while NOT VALID)")]);
            }
            if (!reuse || !r.Temporary!.IsValidated)
                b.Add(StatementKind.Validate, $"{c.Table}.{temporary}", $"ALTER TABLE {b.Q(c.Table)} VALIDATE CONSTRAINT {Quote(temporary)}",
                    LockLevel.ShareUpdateExclusive, [Validation(c)], Phase.After);
            b.Add(StatementKind.ConstraintReplace, name, Swap(b, c.Table,
                    [.. r.Old is null ? [] : new[] { $"DROP CONSTRAINT IF EXISTS {Quote(c.Name)}" },
                        $"RENAME CONSTRAINT {Quote(temporary)} TO {Quote(c.Name)}"]),
                LockLevel.AccessExclusive,
                [replaced,
                    new Hazard(HazardCode.AccessExclusiveLock,
                        $"takes an ACCESS EXCLUSIVE lock on {c.Table} briefly to drop the old {name} and rename the validated one")], Phase.After);
            return;
        }
        var key = KeyColumns().Match(c.Definition);
        if (c.Type is 'p' or 'u' && key.Success && rows && !partitioned)
        {
            var temporary = Replacements.Temporary(c.Name);
            var attachable = r.Old is null && r.NamedIndex is { IsValid: true, IsUnique: true } n && Attachable(n, key.Groups["cols"].Value);
            if (!attachable)
            {
                var built = r.TemporaryIndex is { IsValid: true, IsUnique: true } t && Attachable(t, key.Groups["cols"].Value);
                if (r.TemporaryIndex is { IsValid: true } && !built)
                    b.Add(StatementKind.IndexReplace, temporary, $"DROP INDEX CONCURRENTLY IF EXISTS {b.Q(temporary)}",
                        LockLevel.ShareUpdateExclusive,
                        [new Hazard(HazardCode.ObjectReplaced,
                            $"drops {temporary}, a replacement of {name} an earlier run built for another definition")], Phase.After);
                if (!built)
                    b.Add(StatementKind.Index, temporary,
                        $"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {Quote(temporary)} ON {b.Q(c.Table)} USING btree " +
                        $"({key.Groups["cols"].Value}){key.Groups["with"].Value}",
                        LockLevel.ShareUpdateExclusive,
                        [new Hazard(HazardCode.UniqueBuild,
                            $"builds the unique index of the new {name} on {c.Table}, which has rows, as {temporary}; concurrently, writes " +
                            "continue")], Phase.After);
            }
            var index = attachable ? c.Name : temporary;
            b.Add(StatementKind.ConstraintReplace, name, Swap(b, c.Table,
                    [.. r.NamedIndex is not null && !attachable ? new[] { $"DROP INDEX IF EXISTS {b.Q(r.NamedIndex.Name)}" } : [],
                     .. r.Old is null ? [] : new[] { $"ALTER TABLE {b.Q(c.Table)} DROP CONSTRAINT IF EXISTS {Quote(c.Name)}" },
                     $"ALTER TABLE {b.Q(c.Table)} ADD CONSTRAINT {Quote(c.Name)} {key.Groups["kind"].Value} USING INDEX {Quote(index)}"],
                         qualified: true),
                LockLevel.AccessExclusive,
                [.. attachable ? [] : new[] { replaced },
                    new Hazard(HazardCode.AccessExclusiveLock,
                        $"takes an ACCESS EXCLUSIVE lock on {c.Table} briefly to put the index in place as {name}")], Phase.After);
            return;
        }
        // Nothing to keep serving while it builds (no rows), or no online way (a partitioned table, an exclusion, a key with options): one statement.
        if (r.TemporaryIndex is not null)
            b.Add(StatementKind.IndexReplace, Replacements.Temporary(c.Name), $"DROP INDEX IF EXISTS {b.Q(Replacements.Temporary(c.Name))}",
                LockLevel.AccessExclusive,
                [new Hazard(HazardCode.ObjectReplaced, $"drops {Replacements.Temporary(c.Name)}, a replacement of {name} an earlier run built")]);
        if (r.NamedIndex is not null)
            b.Add(StatementKind.IndexReplace, name, $"DROP INDEX IF EXISTS {b.Q(r.NamedIndex.Name)}", LockLevel.AccessExclusive, [replaced]);
        b.Add(r.Old is null ? StatementKind.Constraint : StatementKind.ConstraintReplace, name,
            $"ALTER TABLE {b.Q(c.Table)} {Drops(r)}ADD CONSTRAINT {Quote(c.Name)} {c.Definition}", LockLevel.AccessExclusive,
        [
            .. r.Old is null ? [] : new[] { replaced },
            .. rows ? new[]
            {
                new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {c.Table}, which has rows, for the whole build"),
                new Hazard(HazardCode.UniqueBuild, $"indexes every row of {c.Table} while it is locked"),
            } : [],
        ]);
    }

    /// <summary>The old constraint and a leftover replacement of it, dropped in the statement that adds the new one.</summary>
    private static string Drops(ConstraintReplacement r) =>
        (r.Old is null ? "" : $"DROP CONSTRAINT IF EXISTS {Quote(r.Desired.Name)}, ")
        + (r.Temporary is null ? "" : $"DROP CONSTRAINT IF EXISTS {Quote(Replacements.Temporary(r.Desired.Name))}, ");

    /// <summary>Steps that must happen together, in one statement outside the transaction (a DO block is atomic).</summary>
    private static string Swap(PlanBuilder b, string table, IEnumerable<string> steps, bool qualified = false)
    {
        var prefix = qualified ? "" : $"ALTER TABLE {b.Q(table)} ";
        return "DO $knowitall$ BEGIN\n" + string.Concat(steps.Select(s => $"  {prefix}{s};\n")) + "END $knowitall$";
    }

    /// <summary>Whether a live unique index is exactly the plain btree index a key over <paramref name="columns"/> would have.</summary>
    private static bool Attachable(IndexModel index, string columns) =>
        ConstraintDiff.KeyColumns(index.Definition) is { } own && own.SequenceEqual(columns.Split(',', StringSplitOptions.TrimEntries));

    private static Hazard Validation(ConstraintModel c) => c.Type == 'f'
        ? new Hazard(HazardCode.ForeignKeyValidation, $"scans {c.Table} to check every row against {c.ReferencedTable}; reads and writes continue")
        : new Hazard(HazardCode.CheckValidation, $"scans {c.Table} to check every row; reads and writes continue");

    /// <summary>
    /// Foreign keys that reference a unique index (not a constraint) this plan builds: PostgreSQL refuses them until the
    /// index exists, so they need it, and come after the transaction when the index is built concurrently.
    /// </summary>
    private static void PlanAfterIndexes(PlanBuilder b)
    {
        foreach (var c in b.Diff.MissingConstraints.Where(c => c.Type == 'f'))
        {
            if (PlannedUniqueIndex(b, c) is not { } index) continue;
            if (IndexPlanner.BuiltConcurrently(b, index))
            {
                b.Add(StatementKind.Constraint, $"{c.Table}.{c.Name}", AddSql(b, c, c.Definition + " NOT VALID"), LockLevel.ShareRowExclusive,
                    [new Hazard(HazardCode.ShareRowExclusiveLock,
                        $"takes a SHARE ROW EXCLUSIVE lock on {c.Table} and {c.ReferencedTable} briefly, once the unique index {index.Name} is " +
                        "built")],
                    Phase.After, Key(b, c), [.. Needs(b, c), ObjectKeys.Index(b.Schema, index.Name)]);
                if (c.IsValidated) AddValidation(b, c);
                continue;
            }
            AddForeignKey(b, c, ObjectKeys.Index(b.Schema, index.Name));
        }
    }

    private static IndexModel? PlannedUniqueIndex(PlanBuilder b, ConstraintModel c) =>
        c.ReferencedTable is null ? null : b.Diff.MissingIndexes.FirstOrDefault(i => i.IsUnique && i.Table == c.ReferencedTable);

    private static void AddConstraint(PlanBuilder b, ConstraintModel c)
    {
        var name = $"{c.Table}.{c.Name}";
        if (!c.IsValidated)
        {
            // schema/ itself says NOT VALID: existing rows are not checked, now or later.
            b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition + " NOT VALID"), LockLevel.AccessExclusive, HasRowsHazard(b, c),
                creates: Key(b, c), needs: Needs(b, c));
            return;
        }
        if (!b.HasRows(c.Table))
        {
            b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition), LockLevel.AccessExclusive, creates: Key(b, c), needs: Needs(b, c));
            return;
        }
        var partitioned = b.IsPartitioned(c.Table);
        if (c.Type == 'c' && !partitioned)
        {
            b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition + " NOT VALID"), LockLevel.AccessExclusive,
                [new Hazard(HazardCode.AccessExclusiveLock,
                    $"takes an ACCESS EXCLUSIVE lock on {c.Table}, which has rows (brief: no scan while NOT VALID)")],
                creates: Key(b, c), needs: Needs(b, c));
            AddValidation(b, c);
            return;
        }
        if (!partitioned && KeyColumns().Match(c.Definition) is { Success: true } key)
        {
            var unique =
                $"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {Quote(c.Name)} ON {b.Q(c.Table)} USING btree " +
                $"({key.Groups["cols"].Value}){key.Groups["with"].Value}";
            var index = ObjectKeys.Index(b.Schema, c.Name);
            b.Add(StatementKind.Index, c.Name, unique, LockLevel.ShareUpdateExclusive,
                [new Hazard(HazardCode.UniqueBuild, $"builds a unique index on {c.Table}, which has rows; concurrently, writes continue")],
                Phase.After, index, Needs(b, c));
            b.Add(StatementKind.Constraint, name, AddSql(b, c, $"{key.Groups["kind"].Value} USING INDEX {Quote(c.Name)}"), LockLevel.AccessExclusive,
                [new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {c.Table} briefly to attach the index")],
                Phase.After, Key(b, c), [.. Needs(b, c), index]);
            return;
        }
        b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition), LockLevel.AccessExclusive,
        [
            new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {c.Table}, which has rows, for the whole build"),
            new Hazard(c.Type == 'c' ? HazardCode.CheckValidation : HazardCode.UniqueBuild,
                $"checks or indexes every row of {c.Table} while it is locked"),
        ], creates: Key(b, c), needs: Needs(b, c));
    }

    /// <param name="index">The unique index of the plan the key references, which it needs.</param>
    private static void AddForeignKey(PlanBuilder b, ConstraintModel c, string? index = null)
    {
        var name = $"{c.Table}.{c.Name}";
        List<string> needs = [.. Needs(b, c), .. index is null ? [] : new[] { index }];
        if (!c.IsValidated)
        {
            b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition + " NOT VALID"), LockLevel.ShareRowExclusive,
                b.HasRows(c.Table)
                ? [new Hazard(HazardCode.ShareRowExclusiveLock, $"takes a SHARE ROW EXCLUSIVE lock on {c.Table} and {c.ReferencedTable} briefly")]
                : [], creates: Key(b, c), needs: needs);
            return;
        }
        if (b.NewTables.Contains(c.Table) || !b.HasRows(c.Table))
        {
            b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition), LockLevel.ShareRowExclusive, creates: Key(b, c), needs: needs);
            return;
        }
        b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition + " NOT VALID"), LockLevel.ShareRowExclusive,
            [new Hazard(HazardCode.ShareRowExclusiveLock,
                $"takes a SHARE ROW EXCLUSIVE lock on {c.Table} and {c.ReferencedTable}: writes wait briefly, reads continue (no scan while NOT " +
                "VALID)")], creates: Key(b, c), needs: needs);
        AddValidation(b, c);
    }

    private static void AddValidation(PlanBuilder b, ConstraintModel c) =>
        b.Add(StatementKind.Validate, $"{c.Table}.{c.Name}", $"ALTER TABLE {b.Q(c.Table)} VALIDATE CONSTRAINT {Quote(c.Name)}",
            LockLevel.ShareUpdateExclusive, [Validation(c)], Phase.After, needs: [Key(b, c)]);

    private static string Key(PlanBuilder b, ConstraintModel c) => ObjectKeys.Constraint(b.Schema, c.Table, c.Name);

    /// <summary>Its table, and what its definition names: a check's functions, a foreign key's referenced table.</summary>
    private static List<string> Needs(PlanBuilder b, ConstraintModel c) =>
        [.. b.Relation(c.Table) is { } table ? new[] { table } : [], .. b.Named(c.Definition)];

    private static IReadOnlyList<Hazard> HasRowsHazard(PlanBuilder b, ConstraintModel c) => b.HasRows(c.Table)
        ? [new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {c.Table} briefly (no scan while NOT VALID)")]
        : [];

    private static string AddSql(PlanBuilder b, ConstraintModel c, string definition) => GuardedAdd(b, c.Table, c.Name, definition);

    /// <summary>ADD CONSTRAINT only when the table has no constraint of that name: a rerun after a partial apply is harmless.</summary>
    public static string GuardedAdd(PlanBuilder b, string table, string name, string definition) => $"""
        DO $knowitall$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = {Literal(b.Q(table))}::regclass AND conname = {Literal(name)}) THEN
            ALTER TABLE {b.Q(table)} ADD CONSTRAINT {Quote(name)} {definition};
          END IF;
        END $knowitall$
        """;

    [GeneratedRegex(@"^(?<kind>UNIQUE|PRIMARY KEY) \((?<cols>[^()]+)\)(?<with> WITH \([^()]*\))?$")]
    private static partial Regex KeyColumns();
}
