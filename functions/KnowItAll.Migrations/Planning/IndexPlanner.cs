using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Indexes: on an empty or new table in the transaction; on a table with rows CONCURRENTLY, after it. A
/// partitioned table cannot build concurrently, so its index locks writes to every partition while it builds. An index
/// needs what its definition names: its table or materialized view, the functions of its expressions. A changed index is
/// replaced online: the new definition built CONCURRENTLY under a temporary name, the old index dropped CONCURRENTLY, the
/// new one renamed, each on its own after the transaction, so a run killed between two of them is finished by the next one.
/// </summary>
internal static class IndexPlanner
{
    public static void Plan(PlanBuilder b)
    {
        var views = b.Desired.Views.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var i in b.Diff.MissingIndexes) AddIndex(b, i, views.Contains(i.Table));
        foreach (var r in b.Diff.ReplacedIndexes) Replace(b, r);
    }

    private static void Replace(PlanBuilder b, IndexReplacement r)
    {
        var i = r.Desired;
        var temporary = Replacements.Temporary(i.Name);
        b.Other.Add($"index {i.Name} (replaced)");
        if (r.Old is not null && r.Temporary is null && (b.IsPartitioned(i.Table) || !b.HasRows(i.Table)))
        {
            // Nothing to keep serving queries while it builds (no rows), or no concurrent build (partitioned): both in the transaction.
            var rows = b.HasRows(i.Table);
            b.Add(StatementKind.IndexReplace, i.Name, $"DROP INDEX IF EXISTS {b.Q(i.Name)}", LockLevel.AccessExclusive,
            [
                new Hazard(HazardCode.ObjectReplaced, $"drops index {i.Name} to build it again as schema/ says, in the same transaction"),
                .. rows ? new[] { new Hazard(HazardCode.AccessExclusiveLock,
                    $"takes an ACCESS EXCLUSIVE lock on {i.Table} until the transaction commits") } : [],
            ]);
            b.Add(StatementKind.Index, i.Name, Sql(i.Definition, concurrently: false), LockLevel.Share,
                rows ? [new Hazard(HazardCode.IndexBuild,
                    $"builds an index over every partition of {i.Table}; writes to them wait until it is built (a partitioned table cannot build " +
                    "concurrently)")] : null, creates: Key(b, i), needs: b.Named(i.Definition));
            return;
        }
        var built = r.Temporary is { IsValid: true } t && IndexDiff.Same(t, i);
        if (r.Temporary is { IsValid: true } && !built)
            // A replacement an earlier run built for another definition: it is the engine's own, so it goes.
            b.Add(StatementKind.IndexReplace, temporary, $"DROP INDEX CONCURRENTLY IF EXISTS {b.Q(temporary)}", LockLevel.ShareUpdateExclusive,
                [new Hazard(HazardCode.ObjectReplaced, $"drops {temporary}, a replacement of {i.Name} an earlier run built for another definition")],
                Phase.After);
        if (!built)
            b.Add(StatementKind.Index, temporary, Sql(Replacements.Renamed(i.Definition, temporary), concurrently: true),
                LockLevel.ShareUpdateExclusive,
                [new Hazard(HazardCode.IndexBuild,
                    $"builds the new definition of {i.Name} over every row of {i.Table} under the name {temporary}; concurrently, writes continue " +
                    "and the old index serves meanwhile")], Phase.After);
        if (r.Old is not null)
            b.Add(StatementKind.IndexReplace, i.Name, $"DROP INDEX CONCURRENTLY IF EXISTS {b.Q(i.Name)}", LockLevel.ShareUpdateExclusive,
                [new Hazard(HazardCode.ObjectReplaced,
                    $"drops the old definition of {i.Name} once its replacement is built; concurrently, reads and writes continue")], Phase.After);
        b.Add(StatementKind.IndexReplace, i.Name, $"ALTER INDEX IF EXISTS {b.Q(temporary)} RENAME TO {Quote(i.Name)}", LockLevel.ShareUpdateExclusive,
            null, Phase.After);
    }

    /// <summary>Whether the index is built CONCURRENTLY, after the plan's transaction.</summary>
    public static bool BuiltConcurrently(PlanBuilder b, IndexModel i) => !InTransaction(b, i, onView: false) && !b.IsPartitioned(i.Table);

    private static bool InTransaction(PlanBuilder b, IndexModel i, bool onView)
    {
        var leftInvalid = b.Live.Indexes.Any(l => l.Name == i.Name && !l.IsValid);
        var isNew = b.NewTables.Contains(i.Table) || (onView && b.Diff.MissingViews.Concat(b.Diff.DroppedViews).Any(v => v.Name == i.Table));
        return !leftInvalid && (isNew || !b.HasRows(i.Table));
    }

    private static void AddIndex(PlanBuilder b, IndexModel i, bool onView)
    {
        var needs = b.Named(i.Definition);
        if (InTransaction(b, i, onView))
        {
            b.Add(StatementKind.Index, i.Name, Sql(i.Definition, concurrently: false), LockLevel.Share, creates: Key(b, i), needs: needs);
            return;
        }
        if (b.IsPartitioned(i.Table))
        {
            b.Add(StatementKind.Index, i.Name, Sql(i.Definition, concurrently: false), LockLevel.Share,
                [new Hazard(HazardCode.IndexBuild,
                    $"builds an index over every partition of {i.Table}; writes to them wait until it is built (a partitioned table cannot build " +
                    "concurrently)")], creates: Key(b, i), needs: needs);
            return;
        }
        b.Add(StatementKind.Index, i.Name, Sql(i.Definition, concurrently: true), LockLevel.ShareUpdateExclusive,
            [new Hazard(HazardCode.IndexBuild, $"builds an index over every row of {i.Table}; concurrently, writes continue")], Phase.After,
            Key(b, i), needs);
    }

    private static string Key(PlanBuilder b, IndexModel i) => ObjectKeys.Index(b.Schema, i.Name);

    private static string Sql(string definition, bool concurrently)
    {
        // A partitioned table's index reads "ON ONLY"; built that way it would stay invalid until every partition's index is attached.
        definition = definition.Replace(" ON ONLY ", " ON ", StringComparison.Ordinal);
        var at = definition.IndexOf("INDEX ", StringComparison.Ordinal);
        return definition[..at] + (concurrently ? "INDEX CONCURRENTLY IF NOT EXISTS " : "INDEX IF NOT EXISTS ") +
            definition[(at + "INDEX ".Length)..];
    }
}
