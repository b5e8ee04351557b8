using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Tables, their columns and settings. What loses nothing is planned: a missing column, a new or changed
/// default, NOT NULL (proved by a validated check first), row-level security on, storage parameters. What
/// would (a type, a dropped default, nullability relaxed, persistence, partitioning) is drift.
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
            var settings = Settings(t, l, diff);
            diff.Status("table", t.Name, settings is null ? ObjectStatus.Present : ObjectStatus.Missing, settings is null ? null : "settings to apply");
            Columns(t, l, diff);
        }
        diff.NotInSchema("table", c.Extra, t => t.Name);
    }

    private static string? Settings(TableModel desired, TableModel live, SchemaDiff diff)
    {
        var enable = desired.RowSecurity && !live.RowSecurity;
        var force = desired.ForceRowSecurity && !live.ForceRowSecurity;
        if (!desired.RowSecurity && live.RowSecurity) diff.Drift.Add(new DriftItem("table", desired.Name, "row-level security is enabled but not in schema/"));
        if (!desired.ForceRowSecurity && live.ForceRowSecurity) diff.Drift.Add(new DriftItem("table", desired.Name, "row-level security is forced but not in schema/"));

        var options = desired.Options.Where(o => !live.Options.Contains(o, StringComparer.Ordinal)).ToList();
        var desiredKeys = desired.Options.Select(Key).ToHashSet(StringComparer.Ordinal);
        foreach (var o in live.Options.Where(o => !desiredKeys.Contains(Key(o))))
            diff.Drift.Add(new DriftItem("table", desired.Name, $"storage parameter {o} is not in schema/ (never reset)"));

        if (desired.Persistence != live.Persistence)
            diff.Drift.Add(new DriftItem("table", desired.Name, "persistence differs (SET LOGGED / UNLOGGED rewrites the table)",
                live.Persistence == 'u' ? "unlogged" : "logged", desired.Persistence == 'u' ? "unlogged" : "logged"));
        if (desired.PartitionKey != live.PartitionKey || desired.PartitionOf != live.PartitionOf || desired.PartitionBound != live.PartitionBound)
            diff.Drift.Add(new DriftItem("table", desired.Name, "partitioning differs (only a new table can be partitioned)", live.Describe(), desired.Describe()));

        if (!enable && !force && options.Count == 0) return null;
        diff.TableSettings.Add(new TableSettingsChange(live, enable, force, options));
        return "settings";
    }

    private static void Columns(TableModel desired, TableModel live, SchemaDiff diff)
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
            if (d.Type != l.Type) drift.Add($"type {l.Type} (desired {d.Type})");
            if (d.Identity != l.Identity) drift.Add("identity differs");
            if (d.Generated != l.Generated) drift.Add("generated expression differs");
            else if (d.Default != l.Default)
            {
                var settable = d.Default is not null && d.Generated == '\0' && d.Identity == '\0' && d.Type == l.Type;
                if (settable)
                {
                    planned.Add($"default {l.Default ?? "none"} (desired {d.Default})");
                    diff.ColumnDefaults.Add((live, d));
                }
                else drift.Add($"default {l.Default ?? "none"} (desired {d.Default ?? "none"}{(d.Default is null ? "; a default is never dropped" : "")})");
            }
            if (d.NotNull && !l.NotNull && d.Identity == '\0' && d.Type == l.Type)
            {
                planned.Add("nullable (desired NOT NULL)");
                diff.ColumnsNotNull.Add((live, d));
            }
            else if (d.NotNull != l.NotNull) drift.Add(l.NotNull ? "NOT NULL (desired nullable)" : "nullable (desired NOT NULL)");
            if (d.Collation != l.Collation) drift.Add($"collation {l.Collation ?? "default"} (desired {d.Collation ?? "default"})");

            if (drift.Count > 0) diff.Drift.Add(new DriftItem("column", name, string.Join("; ", drift), Describe(l), Describe(d)));
            var status = planned.Count > 0 ? ObjectStatus.Missing : drift.Count > 0 ? ObjectStatus.Different : ObjectStatus.Present;
            diff.Status("column", name, status, planned.Count + drift.Count == 0 ? null : string.Join("; ", planned.Concat(drift)));
        }
        diff.NotInSchema("column", c.Extra, col => $"{desired.Name}.{col.Name}", Describe);
    }

    private static string Key(string option) => option.Split('=', 2)[0];

    private static string Describe(ColumnModel c) =>
        c.Type + (c.NotNull ? " NOT NULL" : "") + (c.Default is null ? "" : " DEFAULT " + c.Default);
}
