namespace KnowItAll.Migrations.Planning;

/// <summary>Triggers after their functions and tables; a changed one is replaced in place (CREATE OR REPLACE TRIGGER).</summary>
internal static class TriggerPlanner
{
    private const string Create = "CREATE TRIGGER ";

    public static void Plan(PlanBuilder b)
    {
        foreach (var t in b.Diff.MissingTriggers)
        {
            b.Add(StatementKind.Trigger, $"{t.Table}.{t.Name}", t.Definition, LockLevel.ShareRowExclusive, Hazards(b, t.Table));
            b.Other.Add($"trigger {t.Table}.{t.Name}");
        }
        foreach (var t in b.Diff.ReplacedTriggers)
        {
            var sql = t.Definition.StartsWith(Create, StringComparison.Ordinal) ? "CREATE OR REPLACE TRIGGER " + t.Definition[Create.Length..] : t.Definition;
            b.Add(StatementKind.Trigger, $"{t.Table}.{t.Name}", sql, LockLevel.ShareRowExclusive, Hazards(b, t.Table));
            b.Other.Add($"trigger {t.Table}.{t.Name} (replaced)");
        }
    }

    private static IReadOnlyList<Hazard> Hazards(PlanBuilder b, string table) => b.NewTables.Contains(table) || !b.HasRows(table)
        ? []
        : [new Hazard(HazardCode.ShareRowExclusiveLock, $"takes a SHARE ROW EXCLUSIVE lock on {table} briefly: writes wait, reads continue")];
}
