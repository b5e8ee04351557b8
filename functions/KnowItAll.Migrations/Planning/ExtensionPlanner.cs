using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

internal static class ExtensionPlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var e in b.Diff.MissingExtensions)
            b.Add(StatementKind.Extension, e.Name,
                $"CREATE EXTENSION IF NOT EXISTS {Quote(e.Name)} WITH SCHEMA {Quote(e.Schema)}{VersionClause(e.Version)}", LockLevel.None);
        // The extension's own update script runs: what it changes is the extension's (its version's release notes say what).
        foreach (var e in b.Diff.ExtensionUpdates)
            b.Add(StatementKind.Extension, e.Name, $"ALTER EXTENSION {Quote(e.Name)} UPDATE TO {Literal(e.Version!)}", LockLevel.None);
    }

    /// <summary>The VERSION clause of CREATE EXTENSION for a stated version, nothing for none.</summary>
    public static string VersionClause(string? version) => version is null ? "" : $" VERSION {Literal(version)}";
}
