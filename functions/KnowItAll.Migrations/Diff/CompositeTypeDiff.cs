using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Composite types: created when missing; an attribute added or retyped in place (ALTER TYPE ... ADD / ALTER ATTRIBUTE) while
/// no table column uses the type. PostgreSQL refuses to alter a type a column uses (its rows would change shape), so that
/// is blocking. An attribute schema/ no longer gives, attributes in another order and a type schema/ no longer names are drift.
/// </summary>
internal static class CompositeTypeDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<CompositeTypeModel>.Of(desired.CompositeTypes, live.CompositeTypes, t => t.Name);
        foreach (var t in c.Missing) diff.Status("composite_type", t.Name, ObjectStatus.Missing);
        diff.MissingCompositeTypes.AddRange(c.Missing);
        foreach (var (d, l) in c.Matched)
        {
            var changes = new List<CompositeAttributeChange>();
            foreach (var a in d.Attributes)
            {
                var old = l.Attributes.FirstOrDefault(x => x.Name == a.Name);
                if (old is null || old.Type != a.Type || old.Collation != a.Collation) changes.Add(new CompositeAttributeChange(d.Name, a, old));
            }
            var driftBefore = diff.Drift.Count;
            var removed = l.Attributes.Where(x => d.Attributes.All(y => y.Name != x.Name)).Select(x => x.Name).ToList();
            if (removed.Count > 0)
                diff.Drift.Add(new DriftItem("composite_type", d.Name, $"attributes not in schema/ (never removed): {string.Join(", ", removed)}",
                    l.Describe(), d.Describe()));
            var desiredKept = d.Attributes.Select(a => a.Name).Where(n => l.Attributes.Any(x => x.Name == n)).ToList();
            var liveKept = l.Attributes.Select(a => a.Name).Where(n => d.Attributes.Any(x => x.Name == n)).ToList();
            // PostgreSQL adds an attribute last: the order schema/ gives is reached only when every added one follows the kept ones.
            var addedEarly = desiredKept.Count > 0 && d.Attributes.TakeWhile(a => a.Name != desiredKept[^1])
                .Any(a => l.Attributes.All(x => x.Name != a.Name));
            if (!desiredKept.SequenceEqual(liveKept) || addedEarly)
                diff.Drift.Add(new DriftItem("composite_type", d.Name,
                    "attributes are in another order (never reordered; an added attribute goes last)", l.Describe(), d.Describe()));

            if (changes.Count > 0)
            {
                var users = DomainDiff.UsedBy(live, l.Name);
                var what =
                    string.Join("; ",
                        changes.Select(x => x.Live is null ? $"attribute {x.Attribute.Name} added"
                            : $"attribute {x.Attribute.Name} becomes {x.Attribute.Describe()}"));
                if (users.Count > 0)
                {
                    var why =
                        $"composite type {d.Name} changes ({what}) but {string.Join(", ", users)} {(users.Count == 1 ? "uses" : "use")} it, and " +
                        "PostgreSQL " +
                              "refuses to alter a type a table column uses (every row's value would change shape). Create a new type under another " +
                              "name and move the columns to it";
                    diff.Status("composite_type", d.Name, ObjectStatus.Different, why);
                    diff.Uncarryable.Add(new Uncarryable(Obstacle.TypeNotAlterable, d.Name, why));
                    continue;
                }
                diff.Status("composite_type", d.Name, ObjectStatus.Missing, what);
                diff.CompositeAttributes.AddRange(changes);
                continue;
            }
            diff.Status("composite_type", d.Name, diff.Drift.Count > driftBefore ? ObjectStatus.Different : ObjectStatus.Present,
                diff.Drift.Count > driftBefore ? string.Join("; ", diff.Drift.Skip(driftBefore).Select(x => x.Reason)) : null);
        }
        diff.NotInSchema("composite_type", c.Extra, t => t.Name, t => t.Describe());
    }
}
