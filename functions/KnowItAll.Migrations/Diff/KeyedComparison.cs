namespace KnowItAll.Migrations.Diff;

/// <summary>
/// The one comparison every object kind shares: desired and live objects matched by key. Missing keeps the
/// desired order (the creation order the planner follows), Extra keeps the live order.
/// </summary>
public sealed record KeyedComparison<T>(IReadOnlyList<T> Missing, IReadOnlyList<(T Desired, T Live)> Matched, IReadOnlyList<T> Extra)
{
    public static KeyedComparison<T> Of(IEnumerable<T> desired, IEnumerable<T> live, Func<T, string> key)
    {
        var liveByKey = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var l in live) liveByKey.TryAdd(key(l), l);
        var missing = new List<T>();
        var matched = new List<(T, T)>();
        var desiredKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in desired)
        {
            var k = key(d);
            desiredKeys.Add(k);
            if (liveByKey.TryGetValue(k, out var l)) matched.Add((d, l));
            else missing.Add(d);
        }
        return new KeyedComparison<T>(missing, matched, liveByKey.Where(p => !desiredKeys.Contains(p.Key)).Select(p => p.Value).ToList());
    }
}
