using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>Comments: set when missing or different; a comment schema/ no longer has is drift, never removed.</summary>
internal static class CommentDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<CommentModel>.Of(desired.Comments, live.Comments, k => k.Key);
        foreach (var k in c.Missing) diff.Status("comment", k.Key, ObjectStatus.Missing);
        diff.Comments.AddRange(c.Missing);
        foreach (var (d, l) in c.Matched)
        {
            if (d.Text == l.Text)
            {
                diff.Status("comment", d.Key, ObjectStatus.Present);
                continue;
            }
            diff.Status("comment", d.Key, ObjectStatus.Missing, "text changes");
            diff.Comments.Add(d);
        }
        // PostgreSQL comments schema public and each extension's script its extension: compared only where schema/ declares one.
        diff.NotInSchema("comment", c.Extra.Where(k => k.ObjectType is not ("SCHEMA" or "EXTENSION")), k => k.Key, k => k.Text);
    }
}
