using System.Text.RegularExpressions;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Functions and procedures by signature (their input argument types): a changed body is CREATE OR REPLACE; a changed argument
/// list is another function (created) and the old one stays as drift. A change CREATE OR REPLACE refuses (an input argument
/// renamed, a mode, OUT parameter or default changed, the result changed) drops the function and creates it again in the
/// transaction, with its grants, comment and owner; when something depends on it, the plan is blocked naming what.
/// </summary>
internal static partial class FunctionDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<FunctionModel>.Of(desired.Functions, live.Functions, f => f.Signature);
        foreach (var f in c.Missing) diff.Status(Kind(f), f.Signature, ObjectStatus.Missing);
        diff.MissingFunctions.AddRange(c.Missing);
        foreach (var (d, l) in c.Matched)
        {
            if (d.Definition == l.Definition)
            {
                diff.Status(Kind(d), d.Signature, ObjectStatus.Present);
            }
            else if (d.Result == l.Result && d.Kind == l.Kind && Header(d) == Header(l))
            {
                diff.Status(Kind(d), d.Signature, ObjectStatus.Missing, "definition changes: CREATE OR REPLACE");
                diff.ReplacedFunctions.Add(d);
            }
            else
            {
                var change = d.Kind != l.Kind ? $"changes from {Kind(l)} to {Kind(d)}"
                    : d.Result != l.Result ? $"changes its result ({l.Result} → {d.Result})"
                    : $"changes its arguments' names, modes or defaults ({Arguments(l)} → {Arguments(d)})";
                if (l.Dependants.Count > 0)
                {
                    var why = $"{Kind(d)} {d.Signature} {change}: CREATE OR REPLACE cannot, and dropping it to create it again would take " +
                              $"{string.Join(", ", l.Dependants)} with it: change them first";
                    diff.Status(Kind(d), d.Signature, ObjectStatus.Different, why);
                    diff.Drift.Add(new DriftItem(Kind(d), d.Signature, "definition differs and cannot be replaced", l.Definition, d.Definition));
                    diff.Uncarryable.Add(new Uncarryable(Obstacle.FunctionDependants, d.Signature, why));
                    continue;
                }
                diff.Status(Kind(d), d.Signature, ObjectStatus.Missing, $"{change}: dropped and created again in the transaction");
                diff.DroppedFunctions.Add(l);
                diff.ReplacedFunctions.Add(d);
            }
        }
        diff.NotInSchema("function", c.Extra, f => f.Signature);
    }

    private static string Kind(FunctionModel f) => f.Kind == 'p' ? "procedure" : "function";

    /// <summary>
    /// pg_get_functiondef's first lines: the name with the argument list pg_get_function_arguments prints (names, modes, OUT parameters,
    /// defaults) and the result; the rest (language, volatility, settings, body) CREATE OR REPLACE changes.
    /// </summary>
    private static string Header(FunctionModel f) => HeaderEnd().Match(f.Definition) is { Success: true } m ? f.Definition[..m.Index] : f.Definition;

    private static string Arguments(FunctionModel f)
    {
        var header = Header(f);
        var open = header.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? header : header[open..].TrimEnd();
    }

    // pg_get_functiondef puts the argument list's closing parenthesis before "\n RETURNS" (a function) or "\n LANGUAGE" (a procedure).
    [GeneratedRegex(@"(?<=\))\n (?:RETURNS|LANGUAGE) ")]
    private static partial Regex HeaderEnd();
}
