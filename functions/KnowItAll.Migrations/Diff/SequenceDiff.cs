using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

internal static class SequenceDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<SequenceModel>.Of(desired.Sequences, live.Sequences, s => s.Name);
        foreach (var s in c.Missing) diff.Status("sequence", s.Name, ObjectStatus.Missing);
        diff.MissingSequences.AddRange(c.Missing);
        foreach (var (s, l) in c.Matched)
        {
            if (l.DataType != s.DataType || l.Increment != s.Increment)
            {
                diff.Status("sequence", s.Name, ObjectStatus.Different, $"live {l.DataType} by {l.Increment}, desired {s.DataType} by {s.Increment}");
                diff.Drift.Add(new DriftItem("sequence", s.Name, "definition differs", $"{l.DataType} increment {l.Increment}", $"{s.DataType} increment {s.Increment}"));
            }
            else diff.Status("sequence", s.Name, ObjectStatus.Present);
        }
        diff.NotInSchema("sequence", c.Extra, s => s.Name);
    }
}
