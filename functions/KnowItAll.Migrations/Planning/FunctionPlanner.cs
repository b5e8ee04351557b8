namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Functions and procedures, new or with a new body, from pg_get_functiondef's CREATE OR REPLACE text. They
/// come before the tables: the apply transaction turns check_function_bodies off, as pg_dump does, so a body
/// may name a table the plan creates later.
/// </summary>
internal static class FunctionPlanner
{
    public static void Plan(PlanBuilder b)
    {
        var missing = b.Diff.MissingFunctions.ToHashSet();
        var replaced = b.Diff.ReplacedFunctions.ToHashSet();
        foreach (var f in b.Desired.Functions.Where(f => missing.Contains(f) || replaced.Contains(f)))
        {
            b.Add(StatementKind.Function, f.Signature, f.Definition, LockLevel.None);
            b.Other.Add($"{(f.Kind == 'p' ? "procedure" : "function")} {f.Signature}");
        }
    }
}
