using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Sequences: a missing one is created; one whose options (type, increment, bounds, start, cache, cycle) or owner
/// differ is altered in place. Only the START attribute is ever set, never the live counter (RESTART).
/// </summary>
internal static class SequenceDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<SequenceModel>.Of(desired.Sequences, live.Sequences, s => s.Name);
        foreach (var s in c.Missing) diff.Status("sequence", s.Name, ObjectStatus.Missing);
        diff.MissingSequences.AddRange(c.Missing);
        foreach (var (s, l) in c.Matched)
        {
            if (s == l)
            {
                diff.Status("sequence", s.Name, ObjectStatus.Present);
                continue;
            }
            diff.Status("sequence", s.Name, ObjectStatus.Missing, $"live {Describe(l)}, desired {Describe(s)}");
            diff.SequenceChanges.Add((l, s));
        }
        diff.NotInSchema("sequence", c.Extra, s => s.Name);
    }

    internal static string Describe(SequenceModel s) =>
        $"{s.DataType} increment {s.Increment} minvalue {s.MinValue} maxvalue {s.MaxValue} start {s.Start} cache {s.Cache}{(s.Cycle ? " cycle" : "")}"
        + (s.OwnedByTable is null ? " owned by none" : $" owned by {s.OwnedByTable}.{s.OwnedByColumn}");
}
