using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>Sequences are created before the tables whose defaults use them; OWNED BY follows the table (see <see cref="TablePlanner"/>).</summary>
internal static class SequencePlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var s in b.Diff.MissingSequences)
            b.Add(StatementKind.Sequence, s.Name,
                $"CREATE SEQUENCE IF NOT EXISTS {b.Q(s.Name)} AS {s.DataType} INCREMENT BY {s.Increment} MINVALUE {s.MinValue} MAXVALUE {s.MaxValue} " +
                $"START WITH {s.Start} CACHE {s.Cache}{(s.Cycle ? " CYCLE" : " NO CYCLE")}", LockLevel.None);
    }

    public static void PlanOwners(PlanBuilder b)
    {
        foreach (var s in b.Diff.MissingSequences.Where(s => s.OwnedByTable is not null && s.OwnedByColumn is not null))
            b.Add(StatementKind.SequenceOwner, s.Name, $"ALTER SEQUENCE {b.Q(s.Name)} OWNED BY {b.Q(s.OwnedByTable!)}.{Quote(s.OwnedByColumn!)}", LockLevel.None);
    }
}
