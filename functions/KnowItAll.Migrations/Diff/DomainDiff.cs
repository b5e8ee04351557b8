using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Domains: created when missing; an existing one is altered in place (default, NOT NULL, checks) as schema/ gives it.
/// A check schema/ no longer gives a domain it names is dropped: that changes what the domain accepts, it removes no data.
/// PostgreSQL cannot change a domain's base type or collation in place, so that is blocking. A domain schema/ no longer
/// names is drift.
/// </summary>
internal static class DomainDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<DomainModel>.Of(desired.Domains, live.Domains, d => d.Name);
        foreach (var d in c.Missing) diff.Status("domain", d.Name, ObjectStatus.Missing);
        diff.MissingDomains.AddRange(c.Missing);
        foreach (var (d, l) in c.Matched)
        {
            if (d.BaseType != l.BaseType || d.Collation != l.Collation)
            {
                var users = UsedBy(live, l.Name);
                var what = d.BaseType != l.BaseType ? $"its base type ({l.BaseType} → {d.BaseType})"
                    : $"its collation ({l.Collation ?? "the base type's"} → {d.Collation ?? "the base type's"})";
                var why =
                    $"domain {d.Name} changes {what}: PostgreSQL cannot alter that in place, and the domain would have to be dropped and created " +
                    "again"
                    + (users.Count > 0 ? $" with the columns that use it ({string.Join(", ", users)}), which would lose their data"
                        : ", which this engine never does")
                    + ". Create a new domain under another name and move the columns to it";
                diff.Status("domain", d.Name, ObjectStatus.Different, why);
                diff.Drift.Add(new DriftItem("domain", d.Name, d.BaseType != l.BaseType ? "base type differs" : "collation differs", l.Describe(),
                    d.Describe()));
                diff.Uncarryable.Add(new Uncarryable(Obstacle.TypeNotAlterable, d.Name, why));
                continue;
            }
            var changes = new List<string>();
            if (d.Default != l.Default) changes.Add(d.Default is null ? "default dropped" : $"default {d.Default}");
            if (d.NotNull != l.NotNull) changes.Add(d.NotNull ? "NOT NULL set" : "NOT NULL dropped");
            foreach (var k in d.Checks)
            {
                var old = l.Checks.FirstOrDefault(x => x.Name == k.Name);
                if (old is null) changes.Add($"check {k.Name} added");
                else if (old.Definition != k.Definition) changes.Add($"check {k.Name} changed");
                else if (old.IsValidated != k.IsValidated) changes.Add($"check {k.Name} {(k.IsValidated ? "validated" : "made NOT VALID")}");
            }
            foreach (var k in l.Checks.Where(x => d.Checks.All(y => y.Name != x.Name))) changes.Add($"check {k.Name} dropped");
            if (changes.Count == 0)
            {
                diff.Status("domain", d.Name, ObjectStatus.Present);
                continue;
            }
            diff.Status("domain", d.Name, ObjectStatus.Missing, string.Join("; ", changes));
            diff.DomainChanges.Add(new DomainChange(l, d, UsedBy(live, l.Name)));
        }
        diff.NotInSchema("domain", c.Extra, d => d.Name, d => d.Describe());
    }

    /// <summary>
    /// The table columns (as "table.column") whose type is <paramref name="type"/> of the schema, an array of it, or a domain
    /// based on it: what PostgreSQL checks, or refuses to change, when the type changes.
    /// </summary>
    public static List<string> UsedBy(SchemaModel live, string type)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { TypeName(live.Schema, type) };
        foreach (var d in live.Domains)
            if (names.Contains(d.BaseType.TrimEnd('[', ']'))) names.Add(TypeName(live.Schema, d.Name));
        return live.Tables
            .SelectMany(t => t.Columns.Where(c => names.Contains(c.Type.TrimEnd('[', ']'))).Select(c => $"{t.Name}.{c.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A type of the schema as format_type writes it (each part quoted only where it has to be).</summary>
    public static string TypeName(string schema, string name) => Part(schema) + "." + Part(name);

    private static string Part(string name) => Identifier.IsValid(name) ? name : Identifier.Quote(name);
}
