using System.Text.RegularExpressions;
using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Constraints of existing tables (a new table carries its own). On a table with rows: a CHECK or foreign
/// key is added NOT VALID and validated on its own; a UNIQUE / PRIMARY KEY is built as a unique index
/// concurrently and attached with USING INDEX.
/// </summary>
internal static partial class ConstraintPlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var c in b.Diff.MissingConstraints.Where(c => c.Type != 'f' && (!b.NewTables.Contains(c.Table) || !c.IsValidated))) AddConstraint(b, c);
        foreach (var c in b.Diff.MissingConstraints.Where(c => c.Type == 'f' && PlannedUniqueIndex(b, c) is null)) AddForeignKey(b, c);
        foreach (var c in b.Diff.UnvalidatedConstraints) AddValidation(b, c);
    }

    /// <summary>
    /// Foreign keys that reference a unique index (not a constraint) this plan builds: PostgreSQL refuses them until the
    /// index exists, so they are planned after the indexes, and after the transaction when the index is built concurrently.
    /// </summary>
    public static void PlanAfterIndexes(PlanBuilder b)
    {
        foreach (var c in b.Diff.MissingConstraints.Where(c => c.Type == 'f'))
        {
            if (PlannedUniqueIndex(b, c) is not { } index) continue;
            if (IndexPlanner.BuiltConcurrently(b, index))
            {
                b.Add(StatementKind.Constraint, $"{c.Table}.{c.Name}", AddSql(b, c, c.Definition + " NOT VALID"), LockLevel.ShareRowExclusive,
                    [new Hazard(HazardCode.ShareRowExclusiveLock, $"takes a SHARE ROW EXCLUSIVE lock on {c.Table} and {c.ReferencedTable} briefly, once the unique index {index.Name} is built")],
                    Phase.After);
                if (c.IsValidated) AddValidation(b, c);
                continue;
            }
            AddForeignKey(b, c);
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
            b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition + " NOT VALID"), LockLevel.AccessExclusive, HasRowsHazard(b, c));
            return;
        }
        if (!b.HasRows(c.Table))
        {
            b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition), LockLevel.AccessExclusive);
            return;
        }
        var partitioned = b.IsPartitioned(c.Table);
        if (c.Type == 'c' && !partitioned)
        {
            b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition + " NOT VALID"), LockLevel.AccessExclusive,
                [new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {c.Table}, which has rows (brief: no scan while NOT VALID)")]);
            AddValidation(b, c);
            return;
        }
        if (!partitioned && KeyColumns().Match(c.Definition) is { Success: true } key)
        {
            var unique = $"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {Quote(c.Name)} ON {b.Q(c.Table)} USING btree ({key.Groups["cols"].Value})";
            b.Add(StatementKind.Index, c.Name, unique, LockLevel.ShareUpdateExclusive,
                [new Hazard(HazardCode.UniqueBuild, $"builds a unique index on {c.Table}, which has rows; concurrently, writes continue")], Phase.After);
            b.Add(StatementKind.Constraint, name, AddSql(b, c, $"{key.Groups["kind"].Value} USING INDEX {Quote(c.Name)}"), LockLevel.AccessExclusive,
                [new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {c.Table} briefly to attach the index")], Phase.After);
            return;
        }
        b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition), LockLevel.AccessExclusive,
        [
            new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {c.Table}, which has rows, for the whole build"),
            new Hazard(c.Type == 'c' ? HazardCode.CheckValidation : HazardCode.UniqueBuild, $"checks or indexes every row of {c.Table} while it is locked"),
        ]);
    }

    private static void AddForeignKey(PlanBuilder b, ConstraintModel c)
    {
        var name = $"{c.Table}.{c.Name}";
        if (!c.IsValidated)
        {
            b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition + " NOT VALID"), LockLevel.ShareRowExclusive,
                b.HasRows(c.Table) ? [new Hazard(HazardCode.ShareRowExclusiveLock, $"takes a SHARE ROW EXCLUSIVE lock on {c.Table} and {c.ReferencedTable} briefly")] : []);
            return;
        }
        if (b.NewTables.Contains(c.Table) || !b.HasRows(c.Table))
        {
            b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition), LockLevel.ShareRowExclusive);
            return;
        }
        b.Add(StatementKind.Constraint, name, AddSql(b, c, c.Definition + " NOT VALID"), LockLevel.ShareRowExclusive,
            [new Hazard(HazardCode.ShareRowExclusiveLock, $"takes a SHARE ROW EXCLUSIVE lock on {c.Table} and {c.ReferencedTable}: writes wait briefly, reads continue (no scan while NOT VALID)")]);
        AddValidation(b, c);
    }

    private static void AddValidation(PlanBuilder b, ConstraintModel c)
    {
        var hazard = c.Type == 'f'
            ? new Hazard(HazardCode.ForeignKeyValidation, $"scans {c.Table} to check every row against {c.ReferencedTable}; reads and writes continue")
            : new Hazard(HazardCode.CheckValidation, $"scans {c.Table} to check every row; reads and writes continue");
        b.Add(StatementKind.Validate, $"{c.Table}.{c.Name}", $"ALTER TABLE {b.Q(c.Table)} VALIDATE CONSTRAINT {Quote(c.Name)}",
            LockLevel.ShareUpdateExclusive, [hazard], Phase.After);
    }

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

    [GeneratedRegex(@"^(?<kind>UNIQUE|PRIMARY KEY) \((?<cols>[^()]+)\)$")]
    private static partial Regex KeyColumns();
}
