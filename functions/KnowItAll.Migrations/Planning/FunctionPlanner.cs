using System.Text.RegularExpressions;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Functions and procedures, new or with a new body, from pg_get_functiondef's CREATE OR REPLACE text. They
/// come before the tables, so defaults and checks can call them: the apply transaction turns
/// check_function_bodies off, as pg_dump does, so a body may name a table the plan creates later. What its text names outside
/// a quoted body (a table's or view's row type as an argument or result, what a SQL-standard body reads) comes first, wherever
/// its kind is planned. One whose argument names or result change is dropped first (nothing depends on it: the diff checked)
/// and created again in the same transaction.
/// </summary>
internal static partial class FunctionPlanner
{
    public static void Plan(PlanBuilder b)
    {
        var missing = b.Diff.MissingFunctions.ToHashSet();
        var replaced = b.Diff.ReplacedFunctions.ToHashSet();
        foreach (var f in b.Desired.Functions.Where(f => missing.Contains(f) || replaced.Contains(f)))
        {
            if (b.Diff.DroppedFunctions.FirstOrDefault(l => l.Signature == f.Signature) is { } old)
            {
                var kind = old.Kind == 'p' ? "PROCEDURE" : "FUNCTION";
                b.Add(StatementKind.FunctionReplace, f.Signature, $"DROP {kind} IF EXISTS {b.Q(old.Name)}({old.ArgumentTypes})",
                    LockLevel.AccessExclusive,
                    [new Hazard(HazardCode.ObjectReplaced,
                        $"drops {kind.ToLowerInvariant()} {f.Signature} to create it again as schema/ says (CREATE OR REPLACE cannot change its " +
                        "argument names or result), with its grants, comment and owner, in the same transaction; calls wait until it commits")]);
            }
            // Its text names itself (CREATE OR REPLACE FUNCTION name(...)), which a call of an overload is not told apart from.
            var own = b.Overloads(f.Name);
            b.Add(StatementKind.Function, f.Signature, f.Definition, LockLevel.None, creates: ObjectKeys.Function(b.Schema, f.Signature),
                needs: [.. b.Named(f.Definition).Where(k => !own.Contains(k))]);
            b.Other.Add($"{(f.Kind == 'p' ? "procedure" : "function")} {f.Signature}");
        }
    }

    /// <summary>The statement with its one replaced function's drop taken out (for the destructive guard): what remains is judged.</summary>
    public static string WithoutReplacedDrop(string sql) => ReplacedDrop().Replace(sql, "");

    // Exactly the drop this planner writes: one function by its argument types, without CASCADE or anything after it.
    [GeneratedRegex(@"^DROP (?:FUNCTION|PROCEDURE) IF EXISTS ""(?:[^""]|"""")*""\.""(?:[^""]|"""")*""\((?:[^;()""]|""(?:[^""]|"""")*"")*\)$")]
    private static partial Regex ReplacedDrop();
}
