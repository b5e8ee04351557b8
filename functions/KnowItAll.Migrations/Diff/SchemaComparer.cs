using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>Compares the desired and live models object by object.</summary>
public static class SchemaComparer
{
    public static SchemaDiff Compare(SchemaModel desired, SchemaModel live)
    {
        var objects = new List<ObjectStatus>();
        var drift = new List<DriftItem>();

        var liveExtensions = live.Extensions.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var missingExtensions = new List<ExtensionModel>();
        foreach (var e in desired.Extensions)
        {
            var present = liveExtensions.Contains(e.Name);
            objects.Add(new ObjectStatus("extension", e.Name, present ? ObjectStatus.Present : ObjectStatus.Missing));
            if (!present) missingExtensions.Add(e);
        }

        var liveSequences = live.Sequences.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var missingSequences = new List<SequenceModel>();
        foreach (var s in desired.Sequences)
        {
            if (!liveSequences.TryGetValue(s.Name, out var l))
            {
                objects.Add(new ObjectStatus("sequence", s.Name, ObjectStatus.Missing));
                missingSequences.Add(s);
            }
            else if (l.DataType != s.DataType || l.Increment != s.Increment)
            {
                objects.Add(new ObjectStatus("sequence", s.Name, ObjectStatus.Different, $"live {l.DataType} by {l.Increment}, desired {s.DataType} by {s.Increment}"));
                drift.Add(new DriftItem("sequence", s.Name, "definition differs", $"{l.DataType} increment {l.Increment}", $"{s.DataType} increment {s.Increment}"));
            }
            else objects.Add(new ObjectStatus("sequence", s.Name, ObjectStatus.Present));
        }
        var desiredSequences = desired.Sequences.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        drift.AddRange(live.Sequences.Where(s => !desiredSequences.Contains(s.Name)).Select(s => new DriftItem("sequence", s.Name, "not in schema/")));

        var liveTables = live.Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var missingTables = new List<TableModel>();
        var missingColumns = new List<(TableModel, ColumnModel)>();
        foreach (var t in desired.Tables)
        {
            if (!liveTables.TryGetValue(t.Name, out var lt))
            {
                objects.Add(new ObjectStatus("table", t.Name, ObjectStatus.Missing));
                missingTables.Add(t);
                continue;
            }
            objects.Add(new ObjectStatus("table", t.Name, ObjectStatus.Present));
            var liveColumns = lt.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
            foreach (var c in t.Columns)
            {
                var name = $"{t.Name}.{c.Name}";
                if (!liveColumns.TryGetValue(c.Name, out var lc))
                {
                    objects.Add(new ObjectStatus("column", name, ObjectStatus.Missing));
                    missingColumns.Add((lt, c));
                    continue;
                }
                var difference = ColumnDifference(c, lc);
                objects.Add(new ObjectStatus("column", name, difference is null ? ObjectStatus.Present : ObjectStatus.Different, difference));
                if (difference is not null) drift.Add(new DriftItem("column", name, difference, Describe(lc), Describe(c)));
            }
            var desiredColumns = t.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            drift.AddRange(lt.Columns.Where(c => !desiredColumns.Contains(c.Name)).Select(c => new DriftItem("column", $"{t.Name}.{c.Name}", "not in schema/", Describe(c))));
        }
        var desiredTables = desired.Tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        drift.AddRange(live.Tables.Where(t => !desiredTables.Contains(t.Name)).Select(t => new DriftItem("table", t.Name, "not in schema/")));

        var liveIndexes = live.Indexes.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var missingIndexes = new List<IndexModel>();
        foreach (var i in desired.Indexes)
        {
            if (!liveIndexes.TryGetValue(i.Name, out var li) || !li.IsValid)
            {
                objects.Add(new ObjectStatus("index", i.Name, ObjectStatus.Missing, li is null ? null : "an invalid index of this name is left from a failed build"));
                missingIndexes.Add(i);
            }
            else if (li.Definition != i.Definition)
            {
                objects.Add(new ObjectStatus("index", i.Name, ObjectStatus.Different, "definition differs"));
                drift.Add(new DriftItem("index", i.Name, "definition differs", li.Definition, i.Definition));
            }
            else objects.Add(new ObjectStatus("index", i.Name, ObjectStatus.Present));
        }
        var desiredIndexes = desired.Indexes.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        drift.AddRange(live.Indexes.Where(i => !desiredIndexes.Contains(i.Name)).Select(i => new DriftItem("index", i.Name, "not in schema/", i.Definition)));

        var liveConstraints = live.Constraints.ToDictionary(c => (c.Table, c.Name));
        var missingConstraints = new List<ConstraintModel>();
        var unvalidated = new List<ConstraintModel>();
        foreach (var c in desired.Constraints)
        {
            var name = $"{c.Table}.{c.Name}";
            if (!liveConstraints.TryGetValue((c.Table, c.Name), out var lc))
            {
                objects.Add(new ObjectStatus("constraint", name, ObjectStatus.Missing, c.TypeName));
                missingConstraints.Add(c);
            }
            else if (lc.Definition != c.Definition)
            {
                objects.Add(new ObjectStatus("constraint", name, ObjectStatus.Different, "definition differs"));
                drift.Add(new DriftItem("constraint", name, "definition differs", lc.Definition, c.Definition));
            }
            else if (!lc.IsValidated && c.IsValidated)
            {
                objects.Add(new ObjectStatus("constraint", name, ObjectStatus.Missing, "present but not yet validated"));
                unvalidated.Add(c);
            }
            else objects.Add(new ObjectStatus("constraint", name, ObjectStatus.Present));
        }
        var desiredConstraints = desired.Constraints.Select(c => (c.Table, c.Name)).ToHashSet();
        drift.AddRange(live.Constraints.Where(c => !desiredConstraints.Contains((c.Table, c.Name)))
            .Select(c => new DriftItem("constraint", $"{c.Table}.{c.Name}", "not in schema/", c.Definition)));

        var livePrivileges = live.Privileges.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var missingPrivileges = new List<PrivilegeModel>();
        foreach (var p in desired.Privileges)
        {
            var present = livePrivileges.Contains(p.Key);
            objects.Add(new ObjectStatus("privilege", p.Describe(), present ? ObjectStatus.Present : ObjectStatus.Missing));
            if (!present) missingPrivileges.Add(p);
        }
        var desiredGrantees = desired.Privileges.Select(p => p.Grantee).ToHashSet(StringComparer.Ordinal);
        var desiredPrivileges = desired.Privileges.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        drift.AddRange(live.Privileges.Where(p => desiredGrantees.Contains(p.Grantee) && !desiredPrivileges.Contains(p.Key))
            .Select(p => new DriftItem("privilege", p.Describe(), "granted but not in schema/")));

        return new SchemaDiff(objects, drift, missingExtensions, missingSequences, missingTables, missingColumns, missingIndexes,
            missingConstraints, unvalidated, missingPrivileges);
    }

    private static string? ColumnDifference(ColumnModel desired, ColumnModel live)
    {
        var differences = new List<string>();
        if (desired.Type != live.Type) differences.Add($"type {live.Type} (desired {desired.Type})");
        if (desired.NotNull != live.NotNull) differences.Add(live.NotNull ? "NOT NULL (desired nullable)" : "nullable (desired NOT NULL)");
        if (desired.Default != live.Default) differences.Add($"default {live.Default ?? "none"} (desired {desired.Default ?? "none"})");
        if (desired.Identity != live.Identity) differences.Add("identity differs");
        if (desired.Generated != live.Generated) differences.Add("generated expression differs");
        if (desired.Collation != live.Collation) differences.Add($"collation {live.Collation ?? "default"} (desired {desired.Collation ?? "default"})");
        return differences.Count == 0 ? null : string.Join("; ", differences);
    }

    private static string Describe(ColumnModel c) =>
        c.Type + (c.NotNull ? " NOT NULL" : "") + (c.Default is null ? "" : " DEFAULT " + c.Default);
}
