using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Tables, their columns and settings. What converges in place is planned: a missing column, a default set, changed or
/// dropped, NOT NULL (proved by a validated check first) or dropped, a type or collation (the planner decides from what
/// PostgreSQL says it costs), identity added, removed or re-optioned, row-level security on, storage parameters, REPLICA
/// IDENTITY, persistence (a rewrite). What PostgreSQL cannot change in place (a generation expression, partitioning, NOT NULL of a
/// primary key's column) or would lose something (row-level security off, a storage parameter reset) is drift.
/// </summary>
internal static class TableDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<TableModel>.Of(desired.Tables, live.Tables, t => t.Name);
        foreach (var t in c.Missing) diff.Status("table", t.Name, ObjectStatus.Missing);
        diff.MissingTables.AddRange(c.Missing);
        foreach (var (t, l) in c.Matched)
        {
            var driftBefore = diff.Drift.Count;
            var settings = Settings(t, l, diff);
            if (settings is not null) diff.Status("table", t.Name, ObjectStatus.Missing, settings + " to apply");
            else if (diff.Drift.Count > driftBefore)
                diff.Status("table", t.Name, ObjectStatus.Different, string.Join("; ", diff.Drift.Skip(driftBefore).Select(d => d.Reason)));
            else diff.Status("table", t.Name, ObjectStatus.Present);
            // A table whose parents differ has other columns of its own (the parents' are inherited): its drift says so, and its
            // columns are not compared until its inheritance is settled by hand.
            if (t.Inherits.SequenceEqual(l.Inherits, StringComparer.Ordinal)) Columns(t, l, live, diff);
        }
        diff.NotInSchema("table", c.Extra, t => t.Name);
    }

    private static string? Settings(TableModel desired, TableModel live, SchemaDiff diff)
    {
        var enable = desired.RowSecurity && !live.RowSecurity;
        var force = desired.ForceRowSecurity && !live.ForceRowSecurity;
        if (!desired.RowSecurity && live.RowSecurity)
            diff.Drift.Add(new DriftItem("table", desired.Name, "row-level security is enabled but not in schema/"));
        if (!desired.ForceRowSecurity && live.ForceRowSecurity)
            diff.Drift.Add(new DriftItem("table", desired.Name, "row-level security is forced but not in schema/"));

        var options = desired.Options.Where(o => !live.Options.Contains(o, StringComparer.Ordinal)).ToList();
        var desiredKeys = desired.Options.Select(Key).ToHashSet(StringComparer.Ordinal);
        foreach (var o in live.Options.Where(o => !desiredKeys.Contains(Key(o))))
            diff.Drift.Add(new DriftItem("table", desired.Name, $"storage parameter {o} is not in schema/ (never reset)"));

        // SET LOGGED / UNLOGGED rewrites the table (the planner decides the lock it may hold); PostgreSQL 15 has neither for a partitioned table.
        char? persistence = desired.Persistence == live.Persistence ? null : desired.Persistence;
        if (persistence is not null && (desired.PartitionKey is not null || live.PartitionKey is not null))
        {
            diff.Drift.Add(new DriftItem("table", desired.Name, "persistence differs (PostgreSQL cannot SET LOGGED / UNLOGGED a partitioned table)",
                live.Persistence == 'u' ? "unlogged" : "logged", desired.Persistence == 'u' ? "unlogged" : "logged"));
            persistence = null;
        }
        if (desired.PartitionKey != live.PartitionKey || desired.PartitionOf != live.PartitionOf || desired.PartitionBound != live.PartitionBound)
            diff.Drift.Add(new DriftItem("table", desired.Name, "partitioning differs (only a new table can be partitioned)", live.Describe(),
                desired.Describe()));

        if (!desired.Inherits.SequenceEqual(live.Inherits, StringComparer.Ordinal))
            diff.Drift.Add(new DriftItem("table", desired.Name,
                "inheritance differs (a table is created with INHERITS; the engine never changes an existing table's parents, and compares " +
                "its columns once they agree)",
                live.Inherits.Count == 0 ? "no parent" : string.Join(", ", live.Inherits),
                desired.Inherits.Count == 0 ? "no parent" : string.Join(", ", desired.Inherits)));

        var replica = desired.ReplicaIdentityClause() != live.ReplicaIdentityClause();
        if (replica) diff.ReplicaIdentities.Add((live, desired));

        if (!enable && !force && options.Count == 0 && persistence is null) return replica ? "replica identity" : null;
        diff.TableSettings.Add(new TableSettingsChange(live, enable, force, options) { Persistence = persistence });
        return "settings";
    }

    private static void Columns(TableModel desired, TableModel live, SchemaModel liveModel, SchemaDiff diff)
    {
        var c = KeyedComparison<ColumnModel>.Of(desired.Columns, live.Columns, col => col.Name);
        foreach (var col in c.Missing)
        {
            diff.Status("column", $"{desired.Name}.{col.Name}", ObjectStatus.Missing);
            diff.MissingColumns.Add((live, col));
        }
        foreach (var (d, l) in c.Matched)
        {
            var name = $"{desired.Name}.{d.Name}";
            var planned = new List<string>();
            var drift = new List<string>();
            if (d.Type != l.Type || d.Collation != l.Collation)
            {
                planned.Add(d.Type != l.Type ? $"type {l.Type} (desired {d.Type})"
                    : $"collation {l.Collation ?? "default"} (desired {d.Collation ?? "default"})");
                diff.ColumnTypes.Add(new ColumnTypeChange(live, l, d));
            }
            if (d.Identity != l.Identity || d.IdentityOptions != l.IdentityOptions)
            {
                planned.Add(l.Identity == '\0' ? $"identity none (desired {Identity(d)})" : $"identity {Identity(l)} (desired {Identity(d)})");
                diff.IdentityChanges.Add(new ColumnTypeChange(live, l, d));
            }
            if (l.Generated != '\0' && d.Generated == '\0')
            {
                planned.Add($"generated expression {l.Default} (desired none: DROP EXPRESSION keeps the stored values)");
                diff.DroppedExpressions.Add((live, d));
                if (d.Default is not null) diff.ColumnDefaults.Add((live, d));
            }
            else if (d.Generated != l.Generated || d.Generated != '\0' && d.Default != l.Default)
            {
                drift.Add(
                    $"generated expression {l.Default ?? "none"} (desired {d.Default ?? "none"}; PostgreSQL cannot change a column's generation in " +
                    "place)");
                diff.Uncarryable.Add(new Uncarryable(Obstacle.GenerationNotAlterable, name,
                    $"column {name} {(l.Generated == '\0' ? "becomes generated" : "changes its generation expression")} " +
                    $"({l.Default ?? "none"} → {d.Default}): PostgreSQL 15 cannot do this in place (no ALTER COLUMN … SET EXPRESSION), and " +
                    "re-creating the column would drop its values. Add a new generated column under another name and move readers to it, " +
                    "or change it by hand in a maintenance window"));
            }
            else if (d.Default != l.Default)
            {
                planned.Add($"default {l.Default ?? "none"} (desired {d.Default ?? "none"})");
                if (d.Default is null) diff.DroppedDefaults.Add((live, d));
                else diff.ColumnDefaults.Add((live, d));
            }
            if (d.NotNull && !l.NotNull)
            {
                planned.Add("nullable (desired NOT NULL)");
                diff.ColumnsNotNull.Add((live, d));
            }
            else if (!d.NotNull && l.NotNull)
            {
                if (PrimaryKeyHolding(liveModel, live.Name, d.Name) is { } key)
                    drift.Add($"NOT NULL (desired nullable; the column is in primary key {key}, which is never dropped)");
                else
                {
                    planned.Add("NOT NULL (desired nullable)");
                    diff.ColumnsNullable.Add((live, d));
                }
            }

            if (drift.Count > 0) diff.Drift.Add(new DriftItem("column", name, string.Join("; ", drift), Describe(l), Describe(d)));
            var status = planned.Count > 0 ? ObjectStatus.Missing : drift.Count > 0 ? ObjectStatus.Different : ObjectStatus.Present;
            diff.Status("column", name, status, planned.Count + drift.Count == 0 ? null : string.Join("; ", planned.Concat(drift)));
        }
        diff.NotInSchema("column", c.Extra, col => $"{desired.Name}.{col.Name}", Describe);
    }

    /// <summary>The live primary key that holds <paramref name="column"/> of <paramref name="table"/>, if any.</summary>
    private static string? PrimaryKeyHolding(SchemaModel live, string table, string column) =>
        live.Constraints.FirstOrDefault(k => k.Table == table && k.Type == 'p' && KeyColumns(k.Definition).Contains(column))?.Name;

    private static IEnumerable<string> KeyColumns(string definition)
    {
        var open = definition.IndexOf('(', StringComparison.Ordinal);
        var close = definition.IndexOf(')', StringComparison.Ordinal);
        if (open < 0 || close < open) return [];
        return definition[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries)
            .Select(n => n.Length > 1 && n[0] == '"' ? n[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : n);
    }

    private static string Identity(ColumnModel c) => c.Identity switch
    {
        'a' => $"ALWAYS ({c.IdentityOptions})",
        'd' => $"BY DEFAULT ({c.IdentityOptions})",
        _ => "none",
    };

    private static string Key(string option) => option.Split('=', 2)[0];

    private static string Describe(ColumnModel c) =>
        c.Type + (c.Collation is null ? "" : $" COLLATE {c.Collation}") + (c.NotNull ? " NOT NULL" : "") +
        (c.Default is null ? "" : " DEFAULT " + c.Default)
        + (c.Identity == '\0' ? "" : " identity " + Identity(c));
}
