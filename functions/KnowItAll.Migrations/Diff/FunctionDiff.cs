using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Functions and procedures by signature: a changed body is CREATE OR REPLACE; a changed argument list is
/// another function (created) and the old one stays as drift; a changed result type cannot be replaced.
/// </summary>
internal static class FunctionDiff
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
            else if (d.Result == l.Result && d.Kind == l.Kind)
            {
                diff.Status(Kind(d), d.Signature, ObjectStatus.Missing, "definition changes: CREATE OR REPLACE");
                diff.ReplacedFunctions.Add(d);
            }
            else
            {
                var why =
                    $"{Kind(d)} {d.Signature} changes its result ({l.Result} → {d.Result}): CREATE OR REPLACE cannot, and dropping it is never done";
                diff.Status(Kind(d), d.Signature, ObjectStatus.Different, why);
                diff.Drift.Add(new DriftItem(Kind(d), d.Signature, "result type differs", l.Result, d.Result));
                diff.Blocking.Add(new Hazard(HazardCode.FunctionResultChanged, why, d.Signature));
            }
        }
        diff.NotInSchema("function", c.Extra, f => f.Signature);
    }

    private static string Kind(FunctionModel f) => f.Kind == 'p' ? "procedure" : "function";
}
