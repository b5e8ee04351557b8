namespace KnowItAll.Migrations.Planning;

/// <summary>Views in the desired creation order (a view after the views it reads), new or replaced.</summary>
internal static class ViewPlanner
{
    public static void Plan(PlanBuilder b)
    {
        var missing = b.Diff.MissingViews.ToHashSet();
        var replaced = b.Diff.ReplacedViews.ToHashSet();
        foreach (var v in b.Desired.Views.Where(v => missing.Contains(v) || replaced.Contains(v)))
        {
            var with = v.Options.Count == 0 ? "" : $" WITH ({string.Join(", ", v.Options)})";
            if (v.Materialized)
            {
                b.Add(StatementKind.MaterializedView, v.Name, $"CREATE MATERIALIZED VIEW IF NOT EXISTS {b.Q(v.Name)}{with} AS\n{v.Definition}\nWITH DATA", LockLevel.None,
                    [new Hazard(HazardCode.MaterializedViewPopulate, $"runs the query of {v.Name} once to fill it, inside the transaction; the tables it reads are only read")]);
                b.Other.Add($"materialized view {v.Name}");
            }
            else if (replaced.Contains(v))
            {
                b.Add(StatementKind.View, v.Name, $"CREATE OR REPLACE VIEW {b.Q(v.Name)}{with} AS\n{v.Definition}", LockLevel.AccessExclusive,
                    [new Hazard(HazardCode.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on view {v.Name} briefly; queries of it wait")]);
                b.Other.Add($"view {v.Name} (replaced)");
            }
            else
            {
                b.Add(StatementKind.View, v.Name, $"CREATE VIEW {b.Q(v.Name)}{with} AS\n{v.Definition}", LockLevel.None);
                b.Other.Add($"view {v.Name}");
            }
        }
    }
}
