using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Views in the desired creation order (a view after the views it reads), new or replaced. Views to rebuild are dropped
/// first (before the tables' changes), each after the views that read it, and created again in the same transaction: no session
/// sees them missing.
/// </summary>
internal static class ViewPlanner
{
    public static void Plan(PlanBuilder b)
    {
        var missing = b.Diff.MissingViews.ToHashSet();
        var replaced = b.Diff.ReplacedViews.ToHashSet();
        var dropped = b.Diff.DroppedViews.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var v in b.Desired.Views.Where(v => missing.Contains(v) || replaced.Contains(v) || dropped.Contains(v.Name)))
        {
            var with = v.Options.Count == 0 ? "" : $" WITH ({string.Join(", ", v.Options)})";
            // WITH NO DATA, as schema/ may declare it: created empty, its query not run (queries of it fail until a REFRESH).
            var data = v.Populated ? "WITH DATA" : "WITH NO DATA";
            // What its query names (tables, views, functions of a row type planned later) comes first.
            var (key, needs) = (ObjectKeys.View(b.Schema, v.Name), b.Named(v.Definition));
            if (v.Materialized && dropped.Contains(v.Name))
            {
                b.Add(StatementKind.MaterializedView, v.Name, $"CREATE MATERIALIZED VIEW {b.Q(v.Name)}{with} AS\n{v.Definition}\n{data}",
                    LockLevel.AccessExclusive,
                    [v.Populated
                        ? new Hazard(HazardCode.MaterializedViewPopulate,
                            $"runs the query of {v.Name} again to fill it, inside the transaction; queries of {v.Name} wait until it commits " +
                            "(ACCESS EXCLUSIVE)")
                        : new Hazard(HazardCode.AccessExclusiveLock,
                            $"creates {v.Name} again empty (WITH NO DATA, as schema/ says): queries of it fail until it is refreshed")],
                    creates: key, needs: needs);
                b.Other.Add($"materialized view {v.Name} (replaced)");
            }
            else if (v.Materialized)
            {
                b.Add(StatementKind.MaterializedView, v.Name,
                    $"CREATE MATERIALIZED VIEW IF NOT EXISTS {b.Q(v.Name)}{with} AS\n{v.Definition}\n{data}", LockLevel.None,
                    v.Populated
                        ? [new Hazard(HazardCode.MaterializedViewPopulate,
                            $"runs the query of {v.Name} once to fill it, inside the transaction; the tables it reads are only read")]
                        : [], creates: key, needs: needs);
                b.Other.Add($"materialized view {v.Name}");
            }
            else if (replaced.Contains(v))
            {
                b.Add(StatementKind.View, v.Name, $"CREATE OR REPLACE VIEW {b.Q(v.Name)}{with} AS\n{v.Definition}", LockLevel.AccessExclusive,
                    [new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on view {v.Name} briefly; queries of it wait")],
                    creates: key, needs: needs);
                b.Other.Add($"view {v.Name} (replaced)");
            }
            else
            {
                b.Add(StatementKind.View, v.Name, $"CREATE VIEW {b.Q(v.Name)}{with} AS\n{v.Definition}", LockLevel.None, creates: key, needs: needs);
                b.Other.Add(dropped.Contains(v.Name) ? $"view {v.Name} (replaced)" : $"view {v.Name}");
            }
        }
    }

    /// <summary>
    /// The views to rebuild, each after every view of the set that reads it (never CASCADE: the diff checked nothing else depends on
    /// them). Planned before the tables' changes: a column a view reads can change its type only once the view is gone.
    /// </summary>
    public static void DropReplaced(PlanBuilder b)
    {
        var byName = b.Diff.DroppedViews.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        void Visit(ViewModel v)
        {
            if (!done.Add(v.Name)) return;
            foreach (var reader in v.ReadBy)
                if (byName.TryGetValue(reader, out var r)) Visit(r);
            var kind = v.Materialized ? "MATERIALIZED VIEW" : "VIEW";
            b.Add(StatementKind.ViewReplace, v.Name, $"DROP {kind} IF EXISTS {b.Q(v.Name)}", LockLevel.AccessExclusive,
            [
                new Hazard(HazardCode.ObjectReplaced,
                    $"drops {kind.ToLowerInvariant()} {v.Name} to create it again as schema/ says, with its indexes, triggers, grants and " +
                    "comments, in the same transaction"),
                new Hazard(HazardCode.AccessExclusiveLock,
                    $"takes an ACCESS EXCLUSIVE lock on {v.Name}; queries of it wait until the transaction commits"),
            ]);
        }
        foreach (var v in b.Diff.DroppedViews) Visit(v);
    }
}
