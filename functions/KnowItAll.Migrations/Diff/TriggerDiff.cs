using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>Triggers by table and name; a changed one is CREATE OR REPLACE TRIGGER.</summary>
internal static class TriggerDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<TriggerModel>.Of(desired.Triggers, live.Triggers, t => $"{t.Table}.{t.Name}");
        foreach (var t in c.Missing) diff.Status("trigger", $"{t.Table}.{t.Name}", ObjectStatus.Missing);
        diff.MissingTriggers.AddRange(c.Missing);
        // A trigger is created, and replaced, firing as created ('O'): any other state is set after it.
        diff.TriggerStates.AddRange(c.Missing.Where(t => t.Enabled != 'O'));
        foreach (var (d, l) in c.Matched)
        {
            if (d.Definition == l.Definition)
            {
                if (d.Enabled == l.Enabled) diff.Status("trigger", $"{d.Table}.{d.Name}", ObjectStatus.Present);
                else
                {
                    diff.Status("trigger", $"{d.Table}.{d.Name}", ObjectStatus.Missing,
                        $"fires {l.EnabledClause().ToLowerInvariant()}d (desired {d.EnabledClause().ToLowerInvariant()}d)");
                    diff.TriggerStates.Add(d);
                }
                continue;
            }
            diff.Status("trigger", $"{d.Table}.{d.Name}", ObjectStatus.Missing, "definition changes: CREATE OR REPLACE TRIGGER");
            diff.ReplacedTriggers.Add(d);
            if (d.Enabled != 'O') diff.TriggerStates.Add(d);
        }
        diff.NotInSchema("trigger", c.Extra, t => $"{t.Table}.{t.Name}", t => t.Definition);
    }
}
