using System.Text.RegularExpressions;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Existing columns altered in place, in the order PostgreSQL needs: an identity dropped, then defaults dropped (so an
/// old default never has to fit a new type), then types and collations, then (in <see cref="TablePlanner"/>) new
/// defaults, then NOT NULL dropped or set, then identities added or re-optioned (an identity needs NOT NULL and no
/// default). Every statement takes ACCESS EXCLUSIVE on its table; none rewrites or scans a table that has rows: a type
/// change that PostgreSQL says would (<see cref="ColumnTypeEffect"/>) is a blocking hazard saying why.
/// </summary>
internal static partial class ColumnAlterationPlanner
{
    public static void DropIdentities(PlanBuilder b)
    {
        foreach (var change in b.Diff.IdentityChanges.Where(c => c.Live.Identity != '\0' && c.Desired.Identity == '\0'))
        {
            var table = change.Table.Name;
            IReadOnlyList<Hazard> hazards =
            [
                new(HazardCode.IdentityDropped,
                    $"drops the identity of {change.Name} and its sequence (no row is changed): new rows get a value only from a default or the " +
                    "INSERT"),
                .. Brief(b, table, "no scan"),
            ];
            b.Add(StatementKind.ColumnIdentity, change.Name,
                $"ALTER TABLE {b.Q(table)} ALTER COLUMN {Quote(change.Live.Name)} DROP IDENTITY IF EXISTS", LockLevel.AccessExclusive, hazards);
            b.Other.Add($"identity dropped {change.Name}");
        }
    }

    /// <summary>Defaults schema/ no longer gives, and those a type change replaces (dropped first, set again after it).</summary>
    public static void DropDefaults(PlanBuilder b)
    {
        var columns = b.Diff.DroppedDefaults.Select(d => (d.Table, Name: d.Column.Name))
            .Concat(b.Diff.ColumnTypes.Where(c => DropsDefaultFirst(b.Diff, c) && !b.Diff.DroppedDefaults.Any(d => Same(d, c)))
                .Select(c => (c.Table, Name: c.Live.Name)));
        foreach (var (table, column) in columns)
        {
            var name = $"{table.Name}.{column}";
            b.Add(StatementKind.ColumnDefault, name, $"ALTER TABLE {b.Q(table.Name)} ALTER COLUMN {Quote(column)} DROP DEFAULT",
                LockLevel.AccessExclusive,
                Brief(b, table.Name, "no scan: existing rows keep their values"));
            b.Other.Add($"default dropped {name}");
        }
    }

    /// <summary>Generated columns made ordinary: PostgreSQL keeps each row's stored value and stops computing it.</summary>
    public static void DropExpressions(PlanBuilder b)
    {
        foreach (var (table, column) in b.Diff.DroppedExpressions)
        {
            var name = $"{table.Name}.{column.Name}";
            b.Add(StatementKind.ColumnDefault, name, $"ALTER TABLE {b.Q(table.Name)} ALTER COLUMN {Quote(column.Name)} DROP EXPRESSION",
                LockLevel.AccessExclusive, Brief(b, table.Name, "no scan or rewrite: existing rows keep their stored values"));
            b.Other.Add($"generation dropped {name}");
        }
    }

    public static void Types(PlanBuilder b)
    {
        foreach (var change in b.Diff.ColumnTypes) Type(b, change);
    }

    public static void DropNotNull(PlanBuilder b)
    {
        foreach (var (table, column) in b.Diff.ColumnsNullable)
        {
            var name = $"{table.Name}.{column.Name}";
            b.Add(StatementKind.ColumnNullable, name, $"ALTER TABLE {b.Q(table.Name)} ALTER COLUMN {Quote(column.Name)} DROP NOT NULL",
                LockLevel.AccessExclusive,
                Brief(b, table.Name, "no scan"));
            b.Other.Add($"nullable {name}");
        }
    }

    /// <summary>Identities added, switched between ALWAYS and BY DEFAULT, or given other sequence options.</summary>
    public static void Identities(PlanBuilder b)
    {
        foreach (var change in b.Diff.IdentityChanges.Where(c => c.Desired.Identity != '\0'))
        {
            if (change.Live.Identity == '\0') AddIdentity(b, change);
            else AlterIdentity(b, change);
        }
    }

    /// <summary>REPLICA IDENTITY of new and existing tables, after the indexes it may name.</summary>
    public static void ReplicaIdentities(PlanBuilder b)
    {
        var tables = b.Diff.MissingTables.Where(t => t.ReplicaIdentity != 'd').Select(t => (Live: (TableModel?)null, Desired: t))
            .Concat(b.Diff.ReplicaIdentities.Select(r => (Live: (TableModel?)r.Live, r.Desired)));
        foreach (var (live, desired) in tables)
        {
            var t = desired.Name;
            var index = desired.ReplicaIdentityIndex;
            // An index a table with rows gets in this plan is built concurrently, after the transaction: the setting follows it.
            var builtLater = live is not null && index is not null && b.HasRows(t) && !b.IsPartitioned(t)
                && (b.Diff.MissingIndexes.Any(i => i.Name == index) || b.Diff.MissingConstraints.Any(k => k.Table == t && k.Name == index));
            b.Add(StatementKind.ReplicaIdentity, t, $"ALTER TABLE {b.Q(t)} REPLICA IDENTITY {desired.ReplicaIdentityClause()}",
                live is null ? LockLevel.None : LockLevel.AccessExclusive,
                live is null ? [] : Brief(b, t, "no scan; logical replication of its updates and deletes carries the new identity from now on"),
                builtLater ? Phase.After : Phase.InTransaction, needs: index is null ? null : [ObjectKeys.Index(b.Schema, index)]);
            b.Other.Add($"replica identity {t}");
        }
    }

    /// <summary>Whether the plan drops the column's default before changing its type (the default changes too).</summary>
    public static bool DropsDefaultFirst(SchemaDiff diff, ColumnTypeChange change) =>
        change.Live.Default is not null && change.Live.Generated == '\0'
        && (diff.DroppedDefaults.Any(d => Same(d, change)) || diff.ColumnDefaults.Any(d => Same(d, change)));

    /// <summary>The ALTER COLUMN ... TYPE clause; a collation back to the type's default is named, another type brings its own.</summary>
    public static string TypeClause(ColumnTypeChange change, bool usingCast)
    {
        var (live, desired) = (change.Live, change.Desired);
        var collate = desired.Collation is not null ? $" COLLATE {Quote(desired.Collation)}"
            : live.Collation is not null && live.Type == desired.Type ? " COLLATE pg_catalog.\"default\""
            : "";
        return $"ALTER COLUMN {Quote(live.Name)} TYPE {desired.Type}{collate}" + (usingCast ? $" USING {Quote(live.Name)}::{desired.Type}" : "");
    }

    /// <summary>The statement with its one in-place alteration taken out (for the destructive guard): what remains is judged.</summary>
    public static string WithoutInPlaceAlteration(string sql) => InPlaceAlteration().Replace(sql, "");

    private static void Type(PlanBuilder b, ColumnTypeChange change)
    {
        var table = change.Table.Name;
        var what = change.Live.Type == change.Desired.Type
            ? $"the collation of {change.Name} from {change.Live.Collation ?? "the default"} to {change.Desired.Collation ?? "the default"}"
            : $"the type of {change.Name} from {change.Live.Type} to {change.Desired.Type}";
        // Without a probe (no connection asked) the change is taken to rewrite: the safe side.
        var effect = change.Effect ?? new ColumnTypeEffect(Rewrites: true, ChecksRows: false, NeedsUsing: false, RebuiltIndexes: [], Refusal: null);
        if (effect.Refusal is not null)
        {
            b.Blocking.Add(new Hazard(HazardCode.TypeChangeRefused, $"changing {what} cannot be planned: {effect.Refusal}", change.Name));
            return;
        }
        var costs = new List<Hazard>();
        if (effect.Rewrites)
            costs.Add(new(HazardCode.TableRewrite,
                $"changing {what} rewrites every row of {table} and rebuilds its indexes (PostgreSQL gave a copy of it new storage)"));
        if (effect.ChecksRows)
            costs.Add(new(HazardCode.TypeCheckScan, $"changing {what} checks every row of {table} against the domain's constraints"));
        if (effect.RebuiltIndexes.Count > 0)
            costs.Add(new(HazardCode.IndexRebuild, $"changing {what} rebuilds {string.Join(", ", effect.RebuiltIndexes)}"));
        // A rewritten key column gets another comparison operator: PostgreSQL then checks the key again, reading the referencing rows.
        if (effect.Rewrites && effect.ForeignKeys.Count > 0)
            costs.Add(new(HazardCode.ForeignKeyValidation,
                $"changing {what} re-checks foreign key {string.Join(", ", effect.ForeignKeys)}: PostgreSQL reads every referencing row and " +
                "looks it up in the referenced table, under the lock"));
        IReadOnlyList<Hazard> hazards = !b.HasRows(table) ? costs
            : costs.Count > 0
            ? [.. costs, b.ExclusiveWork(table, effect.Rewrites ? "rewrites it" : effect.ChecksRows ? "checks every row" : "rebuilds the indexes",
                "Add a column of the new type, backfill it in batches and move readers and writers to it")]
            : [new Hazard(HazardCode.AccessExclusiveLock,
                $"takes an ACCESS EXCLUSIVE lock on {table} briefly: PostgreSQL showed the change needs no rewrite, no scan and no index rebuild")];
        b.Add(StatementKind.ColumnType, change.Name, $"ALTER TABLE {b.Q(table)} {TypeClause(change, effect.NeedsUsing)}", LockLevel.AccessExclusive,
            hazards);
        b.Other.Add($"type {change.Name}");
    }

    private static void AddIdentity(PlanBuilder b, ColumnTypeChange change)
    {
        var (t, d) = (change.Table.Name, change.Desired);
        var options = d.IdentityOptions ?? IdentityOptions.Defaults(d.Type, 1);
        var add =
            $"ALTER TABLE {b.Q(t)} ALTER COLUMN {Quote(d.Name)} ADD GENERATED {(d.Identity == 'a' ? "ALWAYS" : "BY DEFAULT")} AS " +
            $"IDENTITY{OptionList(d.Type, options)}";
        // NOT NULL set after the transaction (a table with rows, through a validated check) comes first: the identity follows it.
        var afterNotNull = b.Diff.ColumnsNotNull.Any(n => n.Table.Name == t && n.Column.Name == d.Name) && b.HasRows(t) && !b.IsPartitioned(t);
        if (!b.HasRows(t))
        {
            b.Add(StatementKind.ColumnIdentity, change.Name, add, LockLevel.AccessExclusive, [], afterNotNull ? Phase.After : Phase.InTransaction);
        }
        else
        {
            // The sequence starts where schema/ says; its counter is moved past the values the rows already hold, in the same statement.
            var (edge, beyond) = options.Increment > 0 ? ("max", ">=") : ("min", "<=");
            var sql = $"""
                DO $knowitall$
                BEGIN
                    {add};
                    PERFORM pg_catalog.setval(pg_catalog.pg_get_serial_sequence({Literal(b.Q(t))}, {Literal(d.Name)}), {edge}({Quote(d.Name)}))
                    FROM {b.Q(t)} HAVING {edge}({Quote(d.Name)}) {beyond} {options.Start};
                END
                $knowitall$
                """;
            b.Add(StatementKind.ColumnIdentity, change.Name, sql, LockLevel.AccessExclusive,
                [new Hazard(HazardCode.AccessExclusiveLock,
                    $"takes an ACCESS EXCLUSIVE lock on {t} briefly and reads the {edge} of {d.Name} (an index on it makes that quick) so new " +
                    "identities continue past the rows' values")],
                afterNotNull ? Phase.After : Phase.InTransaction);
        }
        b.Other.Add($"identity added {change.Name}");
    }

    private static void AlterIdentity(PlanBuilder b, ColumnTypeChange change)
    {
        var (t, l, d) = (change.Table.Name, change.Live, change.Desired);
        var parts = new List<string>();
        if (l.Identity != d.Identity) parts.Add(d.Identity == 'a' ? "SET GENERATED ALWAYS" : "SET GENERATED BY DEFAULT");
        if (l.IdentityOptions is { } from && d.IdentityOptions is { } to)
        {
            if (from.Increment != to.Increment) parts.Add($"SET INCREMENT BY {to.Increment}");
            if (from.MinValue != to.MinValue) parts.Add($"SET MINVALUE {to.MinValue}");
            if (from.MaxValue != to.MaxValue) parts.Add($"SET MAXVALUE {to.MaxValue}");
            if (from.Start != to.Start) parts.Add($"SET START WITH {to.Start}");
            if (from.Cache != to.Cache) parts.Add($"SET CACHE {to.Cache}");
            if (from.Cycle != to.Cycle) parts.Add(to.Cycle ? "SET CYCLE" : "SET NO CYCLE");
        }
        if (parts.Count == 0) return;
        if (l.IdentityOptions is { } was && d.IdentityOptions is { } will)
        {
            if (!SequencePlanner.CounterFits(b, Catalog.SequenceCounters.IdentityKey(change.Name), $"the identity of {change.Name}", was.Start,
                will.MinValue, will.MaxValue, out var restart)) return;
            if (restart) parts.Add("RESTART");
        }
        b.Add(StatementKind.ColumnIdentity, change.Name, $"ALTER TABLE {b.Q(t)} ALTER COLUMN {Quote(d.Name)} {string.Join(" ", parts)}",
            LockLevel.AccessExclusive,
            Brief(b, t, "no scan; the counter is left where it is"));
        b.Other.Add($"identity {change.Name}");
    }

    /// <summary>The identity's sequence options that differ from what PostgreSQL would choose, as ( ... ), or nothing.</summary>
    internal static string OptionList(string type, IdentityOptions o)
    {
        var defaults = IdentityOptions.Defaults(type, o.Increment);
        var parts = new List<string>();
        if (o.Start != defaults.Start) parts.Add($"START WITH {o.Start}");
        if (o.Increment != 1) parts.Add($"INCREMENT BY {o.Increment}");
        if (o.MinValue != defaults.MinValue) parts.Add($"MINVALUE {o.MinValue}");
        if (o.MaxValue != defaults.MaxValue) parts.Add($"MAXVALUE {o.MaxValue}");
        if (o.Cache != 1) parts.Add($"CACHE {o.Cache}");
        if (o.Cycle) parts.Add("CYCLE");
        return parts.Count == 0 ? "" : $" ({string.Join(" ", parts)})";
    }

    private static IReadOnlyList<Hazard> Brief(PlanBuilder b, string table, string why) =>
        b.HasRows(table) ? [new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {table} briefly ({why})")] : [];

    private static bool Same((TableModel Table, ColumnModel Column) column, ColumnTypeChange change) =>
        column.Table.Name == change.Table.Name && column.Column.Name == change.Live.Name;

    // Exactly one alteration, on one named column, as this planner writes it.
    [GeneratedRegex(
        @"^ALTER TABLE (?:""(?:[^""]|"""")*""\.)?""(?:[^""]|"""")*"" ALTER COLUMN ""(?:[^""]|"""")*"" (?:DROP DEFAULT$|DROP NOT NULL$|DROP " +
        @"IDENTITY IF EXISTS$|DROP EXPRESSION$|TYPE )")]
    private static partial Regex InPlaceAlteration();
}
