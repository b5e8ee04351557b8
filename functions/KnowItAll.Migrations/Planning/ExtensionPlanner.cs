using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

internal static class ExtensionPlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var e in b.Diff.MissingExtensions)
            b.Add(StatementKind.Extension, e.Name, $"CREATE EXTENSION IF NOT EXISTS {Quote(e.Name)} WITH SCHEMA {Quote(e.Schema)}", LockLevel.None);
    }
}
