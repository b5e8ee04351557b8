using System.Text.RegularExpressions;
using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Tables (partitioned ones before their partitions), columns, defaults, NOT NULL and table settings; the other
/// in-place alterations of existing columns are <see cref="ColumnAlterationPlanner"/>'s, in the order planned here.
/// NOT NULL on a table with rows never scans under an ACCESS EXCLUSIVE lock: a CHECK (... IS NOT NULL) NOT VALID
/// is added, validated on its own (reads and writes go on), SET NOT NULL then uses it instead of a scan, and
/// the engine's own helper check is removed again.
/// </summary>
internal static partial class TablePlanner
{
    public const string NotNullHelperPrefix = "knowitall_nn_";

    public static void Plan(PlanBuilder b)
    {
        var pending = b.Diff.MissingTables.ToList();
        while (pending.Count > 0)
        {
            // A partition or an inheritance child after its parent (a parent in another schema is created with its schema's kind).
            var ready = pending.Where(t => !pending.Any(p => p.Name == t.PartitionOf || t.Inherits.Any(i => LocalParent(i) == p.Name))).ToList();
            if (ready.Count == 0) ready = pending;
            foreach (var t in ready) AddTable(b, t);
            pending.RemoveAll(ready.Contains);
        }
        foreach (var (table, column) in b.Diff.MissingColumns) AddColumn(b, table, column);
        // After the columns: a serial column added to an existing table must exist before its sequence is owned by it.
        SequencePlanner.PlanOwners(b);
        ColumnAlterationPlanner.DropIdentities(b);
        ColumnAlterationPlanner.DropDefaults(b);
        ColumnAlterationPlanner.DropExpressions(b);
        ColumnAlterationPlanner.Types(b);
        foreach (var (table, column) in b.Diff.ColumnDefaults) SetDefault(b, table, column);
        ColumnAlterationPlanner.DropNotNull(b);
        foreach (var (table, column) in b.Diff.ColumnsNotNull) SetNotNull(b, table, column);
        ColumnAlterationPlanner.Identities(b);
        foreach (var change in b.Diff.TableSettings) Settings(b, change);
    }

    /// <summary>The plan's SQL with the drop of the engine's own NOT NULL helper check taken out (for the destructive guard).</summary>
    public static string WithoutHelperDrop(string sql) => HelperDrop().Replace(sql, "");

    private static void AddTable(PlanBuilder b, TableModel t)
    {
        var inline = b.Desired.Constraints.Where(c => c.Table == t.Name && c.Type != 'f' && c.IsValidated).ToList();
        var constraints = inline.Select(c => $"CONSTRAINT {Quote(c.Name)} {c.Definition}").ToList();
        var with = t.Options.Count == 0 ? "" : $" WITH ({string.Join(", ", t.Options)})";
        string sql;
        if (t.PartitionOf is not null)
        {
            var local = constraints.Count == 0 ? "" : $" (\n    {string.Join(",\n    ", constraints)}\n)";
            sql = $"CREATE TABLE IF NOT EXISTS {b.Q(t.Name)} PARTITION OF {b.Q(t.PartitionOf)}{local} {t.PartitionBound}" +
                  (t.PartitionKey is null ? "" : $" PARTITION BY {t.PartitionKey}") + with;
        }
        else
        {
            var parts = t.Columns.OrderBy(c => c.Ordinal).Select(ColumnSql).Concat(constraints);
            sql = $"CREATE {(t.Persistence == 'u' ? "UNLOGGED " : "")}TABLE IF NOT EXISTS {b.Q(t.Name)} (\n    {string.Join(",\n    ", parts)}\n)" +
                  (t.Inherits.Count == 0 ? "" : $" INHERITS ({string.Join(", ", t.Inherits.Select(p => Parent(b, p)))})") +
                  (t.PartitionKey is null ? "" : $" PARTITION BY {t.PartitionKey}") + with;
        }
        // Its parents, and what its columns' types and defaults and its checks name (types, functions, other tables' row types).
        var key = ObjectKeys.Table(b.Schema, t.Name);
        List<string> needs =
        [
            .. t.Inherits.Select(LocalParent).Append(t.PartitionOf).OfType<string>().Select(p => ObjectKeys.Table(b.Schema, p)),
            .. b.Named([.. t.Columns.SelectMany(c => new[] { c.Type, c.Default }), .. inline.Select(c => c.Definition)]),
        ];
        b.Add(StatementKind.Table, t.Name, sql, LockLevel.None, creates: key, needs: needs);
        if (t.RowSecurity)
            b.Add(StatementKind.RowSecurity, t.Name, $"ALTER TABLE {b.Q(t.Name)} ENABLE ROW LEVEL SECURITY", LockLevel.None, needs: [key]);
        if (t.ForceRowSecurity)
            b.Add(StatementKind.RowSecurity, t.Name, $"ALTER TABLE {b.Q(t.Name)} FORCE ROW LEVEL SECURITY", LockLevel.None, needs: [key]);
    }

    /// <summary>A parent as <see cref="TableModel.Inherits"/> spells it (quote_ident, qualified when in another schema), qualified.</summary>
    private static string Parent(PlanBuilder b, string parent) => LocalParent(parent) is null ? parent : Identifier.Quote(b.Schema) + "." + parent;

    /// <summary>The name of a parent in the table's own schema (null for one qualified with another schema).</summary>
    internal static string? LocalParent(string parent)
    {
        var quoted = false;
        foreach (var c in parent)
        {
            if (c == '"') quoted = !quoted;
            else if (c == '.' && !quoted) return null;
        }
        return parent.StartsWith('"') ? parent[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : parent;
    }

    private static void AddColumn(PlanBuilder b, TableModel table, ColumnModel c)
    {
        var name = $"{table.Name}.{c.Name}";
        var hazards = new List<Hazard>();
        if (b.HasRows(table.Name))
        {
            if (c.NotNull && c.Default is null && c.Identity == '\0')
            {
                b.Blocking.Add(new Hazard(HazardCode.NotNullWithoutDefault,
                    $"column {name} is NOT NULL without a default, but table {table.Name} has rows: adding it would fail. " +
                    "Give it a DEFAULT, or add it nullable, backfill, and make it NOT NULL in a later change.", name));
                return;
            }
            if (c.Identity != '\0' || c.Generated != '\0' || HasVolatileDefault(b, c))
            {
                hazards.Add(new Hazard(HazardCode.TableRewrite,
                    $"rewrites {table.Name}: the new column's value is computed for every row while the table is locked"));
                hazards.Add(b.ExclusiveWork(table.Name, "computes the new column for every row",
                    "Add it without the identity, generation or volatile default, fill it in batches, then add what it lacks"));
            }
            else
            {
                hazards.Add(new Hazard(HazardCode.AccessExclusiveLock,
                    $"takes an ACCESS EXCLUSIVE lock on {table.Name}, which has rows (brief, bounded by lock_timeout)"));
            }
        }
        b.Add(StatementKind.Column, name, $"ALTER TABLE {b.Q(table.Name)} ADD COLUMN IF NOT EXISTS {ColumnSql(c)}", LockLevel.AccessExclusive,
            hazards);
    }

    private static void SetDefault(PlanBuilder b, TableModel table, ColumnModel c)
    {
        var name = $"{table.Name}.{c.Name}";
        IReadOnlyList<Hazard> hazards = b.HasRows(table.Name)
            ? [new Hazard(HazardCode.AccessExclusiveLock,
                $"takes an ACCESS EXCLUSIVE lock on {table.Name} briefly (no scan: only new rows get the default)")]
            : [];
        b.Add(StatementKind.ColumnDefault, name, $"ALTER TABLE {b.Q(table.Name)} ALTER COLUMN {Quote(c.Name)} SET DEFAULT {c.Default}",
            LockLevel.AccessExclusive, hazards);
        b.Other.Add($"default {name}");
    }

    private static void SetNotNull(PlanBuilder b, TableModel table, ColumnModel c)
    {
        var name = $"{table.Name}.{c.Name}";
        var setNotNull = $"ALTER TABLE {b.Q(table.Name)} ALTER COLUMN {Quote(c.Name)} SET NOT NULL";
        b.Other.Add($"not null {name}");
        if (!b.HasRows(table.Name) || b.IsPartitioned(table.Name))
        {
            IReadOnlyList<Hazard> hazards = b.HasRows(table.Name)
                ? [new Hazard(HazardCode.AccessExclusiveLock, $"scans the partitions of {table.Name} under an ACCESS EXCLUSIVE lock")]
                : [];
            b.Add(StatementKind.ColumnNotNull, name, setNotNull, LockLevel.AccessExclusive, hazards);
            return;
        }
        var helper = Quote(HelperName(c.Name));
        b.Add(StatementKind.ColumnNotNull, name, ConstraintPlanner.GuardedAdd(b, table.Name, HelperName(c.Name),
            $"CHECK ({Quote(c.Name)} IS NOT NULL) NOT VALID"), LockLevel.AccessExclusive,
            [new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {table.Name} briefly (no scan while NOT VALID)")]);
        b.Add(StatementKind.Validate, name, $"ALTER TABLE {b.Q(table.Name)} VALIDATE CONSTRAINT {helper}", LockLevel.ShareUpdateExclusive,
            [new Hazard(HazardCode.CheckValidation, $"scans {table.Name} to prove {c.Name} has no NULL; reads and writes continue")], Phase.After);
        b.Add(StatementKind.ColumnNotNull, name, setNotNull, LockLevel.AccessExclusive,
            [new Hazard(HazardCode.AccessExclusiveLock,
                $"takes an ACCESS EXCLUSIVE lock on {table.Name} briefly: the validated check proves it, so there is no scan")], Phase.After);
        b.Add(StatementKind.ColumnNotNull, name, $"ALTER TABLE {b.Q(table.Name)} DROP CONSTRAINT IF EXISTS {helper}", LockLevel.AccessExclusive,
            [new Hazard(HazardCode.AccessExclusiveLock,
                $"takes an ACCESS EXCLUSIVE lock on {table.Name} briefly to remove the engine's own helper check")], Phase.After);
    }

    private static void Settings(PlanBuilder b, Diff.TableSettingsChange change)
    {
        var t = change.Table.Name;
        var hasRows = b.HasRows(t);
        if (change.EnableRowSecurity)
        {
            b.Add(StatementKind.RowSecurity, t, $"ALTER TABLE {b.Q(t)} ENABLE ROW LEVEL SECURITY", LockLevel.AccessExclusive,
                [new Hazard(HazardCode.RowLevelSecurity,
                    $"from now on {t} shows a role (other than its owner or a BYPASSRLS role) only the rows a policy allows; with no policy, none")]);
            b.Other.Add($"row level security {t}");
        }
        if (change.ForceRowSecurity)
        {
            b.Add(StatementKind.RowSecurity, t, $"ALTER TABLE {b.Q(t)} FORCE ROW LEVEL SECURITY", LockLevel.AccessExclusive,
                [new Hazard(HazardCode.RowLevelSecurity, $"the owner of {t} is now subject to its policies too")]);
            b.Other.Add($"force row level security {t}");
        }
        if (change.Options.Count > 0)
        {
            var light = change.Options.All(o => LightOption().IsMatch(o));
            var level = light ? LockLevel.ShareUpdateExclusive : LockLevel.AccessExclusive;
            IReadOnlyList<Hazard> hazards = hasRows && !light
                ? [new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {t} briefly")]
                : [];
            b.Add(StatementKind.TableSettings, t, $"ALTER TABLE {b.Q(t)} SET ({string.Join(", ", change.Options)})", level, hazards);
            b.Other.Add($"storage parameters {t}");
        }
        if (change.Persistence is { } persistence)
        {
            var to = persistence == 'u' ? "UNLOGGED" : "LOGGED";
            b.Add(StatementKind.TableSettings, t, $"ALTER TABLE {b.Q(t)} SET {to}", LockLevel.AccessExclusive,
                hasRows
                    ? [new Hazard(HazardCode.TableRewrite, $"rewrites {t} as {to.ToLowerInvariant()}" +
                        (persistence == 'u' ? ": from now on a crash empties it" : "")),
                       b.ExclusiveWork(t, "rewrites it",
                           $"Create a new {to.ToLowerInvariant()} table, copy the rows in batches and switch readers and writers to it")]
                    : []);
            b.Other.Add($"{to.ToLowerInvariant()} {t}");
        }
    }

    private static string HelperName(string column)
    {
        var name = NotNullHelperPrefix + column;
        return name.Length <= 63 ? name : name[..63];
    }

    internal static string ColumnSql(ColumnModel c)
    {
        var sql = $"{Quote(c.Name)} {c.Type}";
        if (c.Collation is not null) sql += $" COLLATE {Quote(c.Collation)}";
        sql += c.Identity switch
        {
            'a' => " GENERATED ALWAYS AS IDENTITY",
            'd' => " GENERATED BY DEFAULT AS IDENTITY",
            _ => "",
        };
        if (c is { Identity: not '\0', IdentityOptions: { } options }) sql += ColumnAlterationPlanner.OptionList(c.Type, options);
        if (c.Generated == 's') sql += $" GENERATED ALWAYS AS ({c.Default}) STORED";
        else if (c.Default is not null) sql += $" DEFAULT {c.Default}";
        if (c.NotNull && c.Identity == '\0') sql += " NOT NULL";
        return sql;
    }

    private static bool HasVolatileDefault(PlanBuilder b, ColumnModel c) =>
        c.Default is not null && FunctionCall().Matches(c.Default).Any(m => b.Live.VolatileFunctions.Contains(m.Groups[1].Value));

    [GeneratedRegex(@"([a-z_][a-z0-9_]*)\s*\(")]
    private static partial Regex FunctionCall();

    // Storage parameters PostgreSQL changes under SHARE UPDATE EXCLUSIVE (ALTER TABLE's documentation).
    [GeneratedRegex(@"^(fillfactor|parallel_workers|autovacuum_\w+|toast\.autovacuum_\w+|vacuum_index_cleanup|toast\.vacuum_index_cleanup|" +
        @"vacuum_truncate|toast\.vacuum_truncate|log_autovacuum_min_duration|toast\.log_autovacuum_min_duration|user_catalog_table|" +
        @"toast_tuple_target)=")]
    private static partial Regex LightOption();

    [GeneratedRegex(@"^ALTER TABLE \S+ DROP CONSTRAINT IF EXISTS ""knowitall_nn_[^""]*""$")]
    private static partial Regex HelperDrop();
}
