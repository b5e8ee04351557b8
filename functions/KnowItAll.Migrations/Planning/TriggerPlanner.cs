using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Triggers after their functions and tables (what the definition names), as CREATE OR REPLACE TRIGGER (PostgreSQL 14+): a new one is created, a
/// changed one replaced in place, and one that already exists under that name cannot make the plan fail. A constraint
/// trigger has no OR REPLACE: it is created when absent, and replaced by a drop and a create in one statement.
/// </summary>
internal static class TriggerPlanner
{
    private const string Create = "CREATE TRIGGER ";
    private const string CreateConstraint = "CREATE CONSTRAINT TRIGGER ";

    public static void Plan(PlanBuilder b)
    {
        foreach (var t in b.Diff.MissingTriggers)
        {
            b.Add(StatementKind.Trigger, $"{t.Table}.{t.Name}", IsConstraintTrigger(t) ? Guarded(t, $"IF NOT EXISTS ({Exists(b, t)}) THEN")
                : OrReplace(t),
                LockLevel.ShareRowExclusive, Hazards(b, t.Table), needs: b.Named(t.Definition));
            b.Other.Add($"trigger {t.Table}.{t.Name}");
        }
        foreach (var t in b.Diff.ReplacedTriggers)
        {
            if (IsConstraintTrigger(t))
                b.Add(StatementKind.TriggerReplace, $"{t.Table}.{t.Name}",
                    Guarded(t, $"IF EXISTS ({Exists(b, t)}) THEN\n    DROP TRIGGER {Quote(t.Name)} ON {b.Q(t.Table)};\n  END IF;\n  IF true THEN"),
                    LockLevel.AccessExclusive,
                    [
                        new Hazard(HazardCode.ObjectReplaced, $"drops constraint trigger {t.Name} and creates it as schema/ says in one statement"),
                        .. b.HasRows(t.Table)
                        ? new[] { new Hazard(HazardCode.AccessExclusiveLock,
                            $"takes an ACCESS EXCLUSIVE lock on {t.Table} briefly to drop the trigger") } : [],
                    ], needs: b.Named(t.Definition));
            else
                b.Add(StatementKind.Trigger, $"{t.Table}.{t.Name}", OrReplace(t), LockLevel.ShareRowExclusive, Hazards(b, t.Table),
                    needs: b.Named(t.Definition));
            b.Other.Add($"trigger {t.Table}.{t.Name} (replaced)");
        }
        foreach (var t in b.Diff.TriggerStates)
        {
            b.Add(StatementKind.TriggerState, $"{t.Table}.{t.Name}", $"ALTER TABLE {b.Q(t.Table)} {t.EnabledClause()} TRIGGER {Quote(t.Name)}",
                LockLevel.ShareRowExclusive, Hazards(b, t.Table));
            b.Other.Add($"trigger {t.Table}.{t.Name} {t.EnabledClause().ToLowerInvariant()}d");
        }
    }

    internal static bool IsConstraintTrigger(TriggerModel t) => t.Definition.StartsWith(CreateConstraint, StringComparison.Ordinal);

    private static string OrReplace(TriggerModel t) =>
        t.Definition.StartsWith(Create, StringComparison.Ordinal) ? "CREATE OR REPLACE TRIGGER " + t.Definition[Create.Length..] : t.Definition;

    private static string Exists(PlanBuilder b, TriggerModel t) =>
        $"SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = {Literal(b.Q(t.Table))}::regclass AND tgname = {Literal(t.Name)}";

    private static string Guarded(TriggerModel t, string condition) => $"""
        DO $knowitall$ BEGIN
          {condition}
            {t.Definition};
          END IF;
        END $knowitall$
        """;

    private static IReadOnlyList<Hazard> Hazards(PlanBuilder b, string table) => b.NewTables.Contains(table) || !b.HasRows(table)
        ? []
        : [new Hazard(HazardCode.ShareRowExclusiveLock, $"takes a SHARE ROW EXCLUSIVE lock on {table} briefly: writes wait, reads continue")];
}
