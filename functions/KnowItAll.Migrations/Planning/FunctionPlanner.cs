namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Functions and procedures, new or with a new body, from pg_get_functiondef's CREATE OR REPLACE text. They
/// come before the tables, so defaults and checks can call them: the apply transaction turns
/// check_function_bodies off, as pg_dump does, so a body may name a table the plan creates later. A function
/// whose arguments or result are a table's or view's row type comes after the views instead.
/// </summary>
internal static class FunctionPlanner
{
    public static void Plan(PlanBuilder b, bool usesRowTypes)
    {
        var missing = b.Diff.MissingFunctions.ToHashSet();
        var replaced = b.Diff.ReplacedFunctions.ToHashSet();
        var rowTypes = b.Desired.Tables.Select(t => t.Name).Concat(b.Desired.Views.Select(v => v.Name)).Select(n => Identifier.Qualify(b.Schema, n))
            .ToList();
        bool UsesRowType(Model.FunctionModel f) => rowTypes.Any(t => Mentions(f.Result, t, b.Schema) || Mentions(f.ArgumentTypes, t, b.Schema));
        foreach (var f in b.Desired.Functions.Where(f => (missing.Contains(f) || replaced.Contains(f)) && UsesRowType(f) == usesRowTypes))
        {
            b.Add(StatementKind.Function, f.Signature, f.Definition, LockLevel.None);
            b.Other.Add($"{(f.Kind == 'p' ? "procedure" : "function")} {f.Signature}");
        }
    }

    /// <summary>Whether a type list names the row type: format_type prints it unquoted when it can ("public.users").</summary>
    private static bool Mentions(string types, string quotedName, string schema)
    {
        var plain = quotedName.Replace("\"", "", StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.IsMatch(types,
            $@"(^|[\s,(]){System.Text.RegularExpressions.Regex.Escape(plain)}(\[\])?($|[\s,)])")
            || types.Contains(quotedName, StringComparison.Ordinal);
    }
}
