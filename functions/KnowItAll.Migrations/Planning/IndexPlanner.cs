using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Indexes: on an empty or new table in the transaction; on a table with rows CONCURRENTLY, after it. A
/// partitioned table cannot build concurrently, so its index locks writes to every partition while it builds.
/// Indexes of materialized views are planned after the views.
/// </summary>
internal static class IndexPlanner
{
    public static void Plan(PlanBuilder b, bool onViews)
    {
        var views = b.Desired.Views.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var i in b.Diff.MissingIndexes.Where(i => views.Contains(i.Table) == onViews)) AddIndex(b, i, onViews);
    }

    /// <summary>Whether the index is built CONCURRENTLY, after the plan's transaction.</summary>
    public static bool BuiltConcurrently(PlanBuilder b, IndexModel i) => !InTransaction(b, i, onView: false) && !b.IsPartitioned(i.Table);

    private static bool InTransaction(PlanBuilder b, IndexModel i, bool onView)
    {
        var leftInvalid = b.Live.Indexes.Any(l => l.Name == i.Name && !l.IsValid);
        var isNew = b.NewTables.Contains(i.Table) || (onView && b.Diff.MissingViews.Any(v => v.Name == i.Table));
        return !leftInvalid && (isNew || !b.HasRows(i.Table));
    }

    private static void AddIndex(PlanBuilder b, IndexModel i, bool onView)
    {
        if (InTransaction(b, i, onView))
        {
            b.Add(StatementKind.Index, i.Name, Sql(i.Definition, concurrently: false), LockLevel.Share);
            return;
        }
        if (b.IsPartitioned(i.Table))
        {
            b.Add(StatementKind.Index, i.Name, Sql(i.Definition, concurrently: false), LockLevel.Share,
                [new Hazard(HazardCode.IndexBuild, $"builds an index over every partition of {i.Table}; writes to them wait until it is built (a partitioned table cannot build concurrently)")]);
            return;
        }
        b.Add(StatementKind.Index, i.Name, Sql(i.Definition, concurrently: true), LockLevel.ShareUpdateExclusive,
            [new Hazard(HazardCode.IndexBuild, $"builds an index over every row of {i.Table}; concurrently, writes continue")], Phase.After);
    }

    private static string Sql(string definition, bool concurrently)
    {
        // A partitioned table's index reads "ON ONLY"; built that way it would stay invalid until every partition's index is attached.
        definition = definition.Replace(" ON ONLY ", " ON ", StringComparison.Ordinal);
        var at = definition.IndexOf("INDEX ", StringComparison.Ordinal);
        return definition[..at] + (concurrently ? "INDEX CONCURRENTLY IF NOT EXISTS " : "INDEX IF NOT EXISTS ") + definition[(at + "INDEX ".Length)..];
    }
}
