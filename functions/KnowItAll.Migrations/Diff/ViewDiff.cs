using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Views and materialized views. A view whose columns stay and only gain new ones at the end is replaced
/// (CREATE OR REPLACE VIEW); any other change would need the view dropped, so it blocks the plan.
/// </summary>
internal static class ViewDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<ViewModel>.Of(desired.Views, live.Views, v => v.Name);
        foreach (var v in c.Missing) diff.Status(Kind(v), v.Name, ObjectStatus.Missing);
        diff.MissingViews.AddRange(c.Missing);
        foreach (var (d, l) in c.Matched)
        {
            if (d.Definition == l.Definition && d.Materialized == l.Materialized && d.Options.SequenceEqual(l.Options) && d.Columns.SequenceEqual(l.Columns))
            {
                diff.Status(Kind(d), d.Name, ObjectStatus.Present);
                continue;
            }
            var appendsOnly = !d.Materialized && !l.Materialized && d.Columns.Count >= l.Columns.Count && d.Columns.Take(l.Columns.Count).SequenceEqual(l.Columns);
            if (appendsOnly)
            {
                diff.Status(Kind(d), d.Name, ObjectStatus.Missing, "definition changes; its columns stay: CREATE OR REPLACE VIEW");
                diff.ReplacedViews.Add(d);
                continue;
            }
            var why = d.Materialized || l.Materialized
                ? $"materialized view {d.Name} changed: it can only be rebuilt by dropping it, which this engine never does"
                : $"view {d.Name} changed its columns ({string.Join(", ", l.Columns)} → {string.Join(", ", d.Columns)}): CREATE OR REPLACE VIEW can only append columns, and dropping the view is never done";
            diff.Status(Kind(d), d.Name, ObjectStatus.Different, why);
            diff.Drift.Add(new DriftItem(Kind(d), d.Name, "definition differs and cannot be replaced", l.Definition, d.Definition));
            diff.Blocking.Add(new Hazard(HazardCode.ViewNotReplaceable, why, d.Name));
        }
        diff.NotInSchema("view", c.Extra, v => v.Name, v => v.Definition);
    }

    private static string Kind(ViewModel v) => v.Materialized ? "materialized_view" : "view";
}
