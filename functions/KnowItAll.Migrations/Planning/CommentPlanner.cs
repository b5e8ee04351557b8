using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Comments, after every object they name exists: those on indexes and constraints that are built outside
/// the transaction run after it.
/// </summary>
internal static class CommentPlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var c in b.Diff.Comments)
        {
            var phase = c.ObjectType is "INDEX" or "CONSTRAINT" && b.HasAfterPhase ? Phase.After : Phase.InTransaction;
            b.Add(StatementKind.Comment, c.Key, $"COMMENT ON {c.ObjectType} {c.Identity} IS {Literal(c.Text)}", LockLevel.ShareUpdateExclusive, null,
                phase);
            b.Other.Add($"comment on {c.Key}");
        }
    }
}
