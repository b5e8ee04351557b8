using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Sequences are created, or their options altered, before the tables whose defaults use them; OWNED BY follows the
/// tables and their new columns (see <see cref="TablePlanner"/>). An altered sequence gets its START attribute only: the
/// live counter is never moved (no RESTART).
/// </summary>
internal static class SequencePlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var s in b.Diff.MissingSequences)
            b.Add(StatementKind.Sequence, s.Name,
                $"CREATE SEQUENCE IF NOT EXISTS {b.Q(s.Name)} AS {s.DataType} INCREMENT BY {s.Increment} MINVALUE {s.MinValue} MAXVALUE " +
                $"{s.MaxValue} " +
                $"START WITH {s.Start} CACHE {s.Cache}{(s.Cycle ? " CYCLE" : " NO CYCLE")}", LockLevel.None);
        foreach (var (live, desired) in b.Diff.SequenceChanges) Alter(b, live, desired);
    }

    public static void PlanOwners(PlanBuilder b)
    {
        foreach (var s in b.Diff.MissingSequences.Where(s => s.OwnedByTable is not null && s.OwnedByColumn is not null))
            b.Add(StatementKind.SequenceOwner, s.Name, $"ALTER SEQUENCE {b.Q(s.Name)} OWNED BY {Owner(b, s)}", LockLevel.None,
                needs: b.Relation(s.OwnedByTable!) is { } table ? [table] : null);
        foreach (var (live, s) in b.Diff.SequenceChanges.Where(c => c.Live.OwnedByTable != c.Desired.OwnedByTable
            || c.Live.OwnedByColumn != c.Desired.OwnedByColumn))
        {
            b.Add(StatementKind.SequenceOwner, s.Name, $"ALTER SEQUENCE {b.Q(s.Name)} OWNED BY {Owner(b, s)}", LockLevel.ShareRowExclusive, Waits(s));
            b.Other.Add($"sequence owner {s.Name}");
        }
    }

    private static void Alter(PlanBuilder b, SequenceModel live, SequenceModel s)
    {
        var parts = new List<string>();
        if (live.DataType != s.DataType) parts.Add($"AS {s.DataType}");
        if (live.Increment != s.Increment) parts.Add($"INCREMENT BY {s.Increment}");
        if (live.MinValue != s.MinValue || live.DataType != s.DataType) parts.Add($"MINVALUE {s.MinValue}");
        if (live.MaxValue != s.MaxValue || live.DataType != s.DataType) parts.Add($"MAXVALUE {s.MaxValue}");
        if (live.Start != s.Start) parts.Add($"START WITH {s.Start}");
        if (live.Cache != s.Cache) parts.Add($"CACHE {s.Cache}");
        if (live.Cycle != s.Cycle) parts.Add(s.Cycle ? "CYCLE" : "NO CYCLE");
        if (parts.Count == 0) return;
        if (!CounterFits(b, s.Name, $"sequence {s.Name}", live.Start, s.MinValue, s.MaxValue, out var restart)) return;
        if (restart) parts.Add("RESTART");
        b.Add(StatementKind.SequenceOptions, s.Name, $"ALTER SEQUENCE {b.Q(s.Name)} {string.Join(" ", parts)}", LockLevel.ShareRowExclusive,
            Waits(s));
        b.Other.Add($"sequence {s.Name}");
    }

    /// <summary>
    /// Whether the live counter fits new bounds, which PostgreSQL requires. A sequence that has handed out no value yet
    /// still holds its old start: when that is outside, it is restarted at the new start (nothing was handed out, so
    /// nothing can be handed out twice). One that has handed out a value outside the bounds is a blocking hazard.
    /// </summary>
    internal static bool CounterFits(PlanBuilder b, string key, string name, long liveStart, long min, long max, out bool restart)
    {
        restart = false;
        if (!b.Diff.SequenceCounters.TryGetValue(key, out var counter)) return true;
        if (counter is null)
        {
            restart = liveStart < min || liveStart > max;
            return true;
        }
        if (counter >= min && counter <= max) return true;
        b.Blocking.Add(new Hazard(HazardCode.SequenceCounterOutOfRange,
            $"{name} has handed out {counter}, outside the new bounds {min}..{max}: PostgreSQL refuses such bounds, and moving the counter back " +
            "could hand out a value twice", name));
        return false;
    }

    private static string Owner(PlanBuilder b, SequenceModel s) =>
        s.OwnedByTable is null || s.OwnedByColumn is null ? "NONE" : $"{b.Q(s.OwnedByTable)}.{Quote(s.OwnedByColumn)}";

    private static IReadOnlyList<Hazard> Waits(SequenceModel s) =>
        [new Hazard(HazardCode.ShareRowExclusiveLock,
            $"takes a SHARE ROW EXCLUSIVE lock on sequence {s.Name}: nextval() on it waits until the plan's transaction ends")];
}
