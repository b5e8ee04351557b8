using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// Enum types: created when missing; a value the live type lacks is added in its place (BEFORE the next value
/// it has, else AFTER the previous one). A removed value, or values in another order, is drift.
/// </summary>
internal static class EnumDiff
{
    public static void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<EnumModel>.Of(desired.Enums, live.Enums, e => e.Name);
        foreach (var e in c.Missing) diff.Status("enum", e.Name, ObjectStatus.Missing);
        diff.MissingEnums.AddRange(c.Missing);
        foreach (var (d, l) in c.Matched)
        {
            var removed = l.Labels.Where(x => !d.Labels.Contains(x, StringComparer.Ordinal)).ToList();
            if (removed.Count > 0)
                diff.Drift.Add(new DriftItem("enum", d.Name, $"values not in schema/ (never removed): {string.Join(", ", removed)}",
                    string.Join(", ", l.Labels), string.Join(", ", d.Labels)));
            var kept = d.Labels.Where(x => l.Labels.Contains(x, StringComparer.Ordinal)).ToList();
            if (!kept.SequenceEqual(l.Labels.Where(x => d.Labels.Contains(x, StringComparer.Ordinal)), StringComparer.Ordinal))
                diff.Drift.Add(new DriftItem("enum", d.Name, "values are in another order (never reordered)", string.Join(", ", l.Labels),
                    string.Join(", ", d.Labels)));

            var added = new List<string>();
            for (var i = 0; i < d.Labels.Count; i++)
            {
                var label = d.Labels[i];
                if (l.Labels.Contains(label, StringComparer.Ordinal)) continue;
                var before = d.Labels.Skip(i + 1).FirstOrDefault(x => l.Labels.Contains(x, StringComparer.Ordinal));
                // Values are added in desired order, so the previous desired value exists by the time this one is added.
                var after = before is null && i > 0 ? d.Labels[i - 1] : null;
                diff.EnumValues.Add(new EnumValueAddition(d.Name, label, before, after));
                added.Add(label);
            }
            diff.Status("enum", d.Name, added.Count > 0 ? ObjectStatus.Missing : removed.Count > 0 ? ObjectStatus.Different : ObjectStatus.Present,
                added.Count > 0 ? "values to add: " + string.Join(", ", added) : null);
        }
        diff.NotInSchema("enum", c.Extra, e => e.Name, e => string.Join(", ", e.Labels));
    }
}
