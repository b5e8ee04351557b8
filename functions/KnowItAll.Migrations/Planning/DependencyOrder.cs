namespace KnowItAll.Migrations.Planning;

/// <summary>What a planned statement creates and what it needs, held beside it (never in the plan's wire form).</summary>
internal sealed record StatementDependencies(string? Creates, IReadOnlyList<string> Needs);

/// <summary>
/// Orders the statements of one phase by the objects' dependencies: a statement moves after the statements of the phase that
/// create what it needs, and every other keeps its planned place (Kahn's algorithm, always taking the earliest-planned ready
/// statement). A need no statement of the phase creates exists already or comes from an earlier phase. Statements that need
/// each other in a cycle are an error naming the objects: no order could run them.
/// </summary>
internal static class DependencyOrder
{
    /// <param name="dependencies">What the statement at each position creates and needs (none for a position left out).</param>
    public static List<PlannedStatement> Sort(IReadOnlyList<PlannedStatement> statements,
        IReadOnlyDictionary<int, StatementDependencies> dependencies)
    {
        var n = statements.Count;
        if (dependencies.Count == 0) return [.. statements];
        var creators = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var (i, d) in dependencies)
            if (d.Creates is not null)
            {
                if (!creators.TryGetValue(d.Creates, out var list)) creators[d.Creates] = list = [];
                list.Add(i);
            }

        var dependants = new List<int>?[n];
        var predecessors = new List<int>?[n];
        var waiting = new int[n];
        foreach (var (j, d) in dependencies)
            foreach (var need in d.Needs.Distinct(StringComparer.Ordinal))
            {
                if (!creators.TryGetValue(need, out var made)) continue;
                foreach (var i in made.Where(i => i != j))
                {
                    (dependants[i] ??= []).Add(j);
                    (predecessors[j] ??= []).Add(i);
                    waiting[j]++;
                }
            }

        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < n; i++)
            if (waiting[i] == 0) ready.Enqueue(i, i);
        var ordered = new List<PlannedStatement>(n);
        var done = new bool[n];
        while (ready.TryDequeue(out var i, out _))
        {
            ordered.Add(statements[i]);
            done[i] = true;
            foreach (var j in dependants[i] ?? [])
                if (--waiting[j] == 0) ready.Enqueue(j, j);
        }
        if (ordered.Count < n) throw Cycle(statements, dependencies, predecessors, done);
        return ordered;
    }

    /// <summary>
    /// One cycle among the statements left unordered: each of them waits for a statement also left, so walking back from one
    /// through those it waits for comes round to a statement already seen.
    /// </summary>
    private static MigrationException Cycle(IReadOnlyList<PlannedStatement> statements, IReadOnlyDictionary<int, StatementDependencies> dependencies,
        List<int>?[] predecessors, bool[] done)
    {
        var seen = new Dictionary<int, int>();
        var path = new List<int>();
        var at = Array.IndexOf(done, false);
        while (!seen.ContainsKey(at))
        {
            seen[at] = path.Count;
            path.Add(at);
            at = predecessors[at]!.First(p => !done[p]);
        }
        var cycle = path[seen[at]..];
        string Name(int i) => dependencies.TryGetValue(i, out var d) && d.Creates is not null
            ? ObjectKeys.Describe(d.Creates)
            : $"{statements[i].Kind.ToWire()} {statements[i].ObjectName}";
        var chain = $"{Name(cycle[0])} needs {string.Join(", which needs ", cycle.Skip(1).Append(cycle[0]).Select(Name))}";
        return new MigrationException(MigrationErrors.SchemaError,
            $"the objects schema/ declares need each other in a cycle, so no order of statements can create them: {chain}");
    }
}
