using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Views and materialized views. A view whose columns stay and only gain new ones at the end is replaced
/// (CREATE OR REPLACE VIEW). Any other change (a column removed, renamed or retyped, a materialized view changed) drops
/// the view in the transaction and creates it again, with the views that read it: all of them must be named by
/// schema/ and nothing else may depend on them, or the plan is blocked naming what stands in the way. A view that reads a column
/// whose type changes is dropped and created again the same way (PostgreSQL does not retype a column a view uses).
/// </summary>
internal static class ViewDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<ViewModel>.Of(desired.Views, live.Views, v => v.Name);
        foreach (var v in c.Missing) diff.Status(Kind(v), v.Name, ObjectStatus.Missing);
        diff.MissingViews.AddRange(c.Missing);
        var rebuilt = new List<(ViewModel Desired, ViewModel Live)>();
        foreach (var (d, l) in c.Matched)
        {
            if (d.Definition == l.Definition && d.Materialized == l.Materialized && d.Options.SequenceEqual(l.Options)
                && d.Columns.SequenceEqual(l.Columns)) continue;
            var appendsOnly = !d.Materialized && !l.Materialized && d.Columns.Count >= l.Columns.Count && d.Columns.Take(l.Columns.Count)
                .SequenceEqual(l.Columns);
            if (!appendsOnly) rebuilt.Add((d, l));
        }

        var liveByName = live.Views.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var desiredByName = desired.Views.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var dropped = Closure(rebuilt.Select(r => r.Live), liveByName);
        var obstacles = Obstacles(dropped, desired, live, desiredByName);
        if (obstacles.Count > 0)
        {
            var why =
                $"replacing {string.Join(", ", rebuilt.Select(r => $"{Kind(r.Desired).Replace('_', ' ')} {r.Desired.Name}"))} drops it and what " +
                "reads it, " +
                      $"but {string.Join("; ", obstacles)}: add them to schema/ or change them first";
            foreach (var (d, l) in rebuilt)
            {
                diff.Drift.Add(new DriftItem(Kind(d), d.Name, "definition differs and cannot be replaced", l.Definition, d.Definition));
                diff.Uncarryable.Add(new Uncarryable(Obstacle.ViewReaders, d.Name, why));
            }
            dropped.Clear();
        }
        var retyping = Retyping(desired, live, diff, liveByName, desiredByName, dropped);
        dropped.AddRange(retyping);
        diff.DroppedViews.AddRange(dropped);
        var droppedNames = dropped.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var retypingNames = retyping.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var (d, l) in c.Matched)
        {
            if (droppedNames.Contains(d.Name))
            {
                var own = rebuilt.Any(r => r.Desired.Name == d.Name);
                diff.Status(Kind(d), d.Name, ObjectStatus.Missing, own
                    ? $"{Change(l, d)}: dropped and created again in the transaction"
                    : retypingNames.Contains(d.Name)
                    ? "reads a column whose type changes (or a view that does): dropped and created again in the transaction"
                    : "reads a view that is replaced: dropped and created again in the transaction");
            }
            else if (rebuilt.Any(r => r.Desired.Name == d.Name))
            {
                diff.Status(Kind(d), d.Name, ObjectStatus.Different, $"{Change(l, d)}: cannot be replaced (see the blocking hazard)");
            }
            else if (d.Definition == l.Definition && d.Materialized == l.Materialized && d.Options.SequenceEqual(l.Options)
                && d.Columns.SequenceEqual(l.Columns))
            {
                diff.Status(Kind(d), d.Name, ObjectStatus.Present);
            }
            else
            {
                diff.Status(Kind(d), d.Name, ObjectStatus.Missing, "definition changes; its columns stay: CREATE OR REPLACE VIEW");
                diff.ReplacedViews.Add(d);
            }
        }
        diff.NotInSchema("view", c.Extra, v => v.Name, v => v.Definition);
    }

    private static string Change(ViewModel live, ViewModel desired) =>
        live.Materialized != desired.Materialized ? "changes between view and materialized view"
        : !live.Columns.SequenceEqual(desired.Columns) ? $"columns change ({string.Join(", ", live.Columns)} → {string.Join(", ", desired.Columns)})"
        : "definition changes";

    /// <summary>
    /// The live views (beyond <paramref name="dropped"/>) that read a column whose type or collation changes, with the views that read
    /// them: dropped before the change and created again after it, when schema/ names them all and nothing else stands in the way.
    /// Otherwise none: the type change is refused naming the view (<see cref="Catalog.ColumnTypeProbe"/>).
    /// </summary>
    private static List<ViewModel> Retyping(SchemaModel desired, SchemaModel live, SchemaDiff diff, Dictionary<string, ViewModel> liveByName,
        Dictionary<string, ViewModel> desiredByName, List<ViewModel> dropped)
    {
        var retyped = diff.ColumnTypes.Select(c => (c.Table.Name, c.Live.Name)).ToHashSet();
        var names = dropped.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var readers = live.Views.Where(v => !names.Contains(v.Name) && v.ReadsColumns.Any(retyped.Contains));
        var closure = Closure(readers, liveByName);
        return Obstacles(closure, desired, live, desiredByName).Count == 0 ? [.. closure.Where(v => !names.Contains(v.Name))] : [];
    }

    /// <summary>The live views to drop: those replaced and every view that reads one of them, each once.</summary>
    private static List<ViewModel> Closure(IEnumerable<ViewModel> roots, Dictionary<string, ViewModel> liveByName)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<ViewModel>();
        var queue = new Queue<ViewModel>(roots);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            if (!seen.Add(v.Name)) continue;
            result.Add(v);
            foreach (var reader in v.ReadBy)
                if (liveByName.TryGetValue(reader, out var r)) queue.Enqueue(r);
        }
        return result;
    }

    /// <summary>What dropping <paramref name="dropped"/> would take that schema/ does not describe, or that no plan can put back.</summary>
    private static List<string> Obstacles(List<ViewModel> dropped, SchemaModel desired, SchemaModel live, Dictionary<string, ViewModel> desiredByName)
    {
        var obstacles = new List<string>();
        var names = dropped.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var v in dropped)
        {
            if (!desiredByName.ContainsKey(v.Name)) obstacles.Add($"{Kind(v).Replace('_', ' ')} {v.Name} reads it and schema/ does not name it");
            foreach (var reader in v.ReadBy.Where(r => !names.Contains(r)))
                obstacles.Add($"{reader} reads {v.Name} and is not a view the engine can replace");
            foreach (var d in v.Dependants) obstacles.Add($"{d} depends on {v.Name}");
        }
        foreach (var i in live.Indexes.Where(i => names.Contains(i.Table) && !desired.Indexes.Any(x => x.Name == i.Name)))
            obstacles.Add($"index {i.Name} on {i.Table} is not in schema/");
        foreach (var t in live.Triggers.Where(t => names.Contains(t.Table) && !desired.Triggers.Any(x => x.Table == t.Table && x.Name == t.Name)))
            obstacles.Add($"trigger {t.Name} on {t.Table} is not in schema/");
        return obstacles;
    }

    private static string Kind(ViewModel v) => v.Materialized ? "materialized_view" : "view";
}
