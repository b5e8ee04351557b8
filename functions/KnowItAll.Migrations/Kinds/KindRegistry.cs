using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Kinds;

/// <summary>
/// The object kinds, in the order they are read, written into the canonical text and compared (a kind's comparison may use
/// what an earlier kind's found: views see the tables' type changes, owners the replaced views). The planning order is
/// not this list's: it comes from the steps' declared dependencies (<see cref="PlanningOrder"/>).
/// </summary>
internal static class KindRegistry
{
    public static readonly IReadOnlyList<ObjectKind> All =
    [
        new ExtensionKind(),
        new EnumKind(),
        new DomainKind(),
        new RangeTypeKind(),
        new CompositeTypeKind(),
        new SequenceKind(),
        new FunctionKind(),
        new TableKind(),
        new IndexKind(),
        new ConstraintKind(),
        new ViewKind(),
        new TriggerKind(),
        new PolicyKind(),
        new CommentKind(),
        new PrivilegeKind(),
        new OwnerKind(),
    ];

    /// <summary>
    /// Every kind's planning steps, each after the steps it names ("kind" for all of a kind's steps, "kind/step" for one), the
    /// steps of the kinds its kind is planned after, and the previous step of its own kind; among the steps free to go next,
    /// the earliest kind of <see cref="All"/> goes first. A name that matches no step, or a cycle, fails at start-up.
    /// </summary>
    public static readonly IReadOnlyList<(ObjectKind Kind, PlanStep Step)> PlanningOrder = Order(All);

    private static readonly Dictionary<StatementKind, InitFile> InitFiles =
        All.SelectMany(k => k.InitFiles).ToDictionary(f => f.Statement, f => f.File);

    /// <summary>The file of <c>schema init</c> a statement of that kind goes to (its table's when no kind says another).</summary>
    public static InitFile? InitFile(StatementKind statement) => InitFiles.TryGetValue(statement, out var file) ? file : null;

    /// <summary>The statement forms schema/ may hold, as the refusal message lists them.</summary>
    public static readonly string Accepted =
        "CREATE SCHEMA / EXTENSION (SCHEMA, VERSION), " +
        string.Join(", ", All.SelectMany(k => k.Forms).Select(f => f.Described).Where(d => d.Length > 0)) +
        ", ALTER ... OWNER TO, GRANT ... ON SCHEMA; and declared removals and renames (DROP ..., ALTER TABLE ... DROP / RENAME, " +
        "ALTER ... RENAME, REVOKE ...)";

    /// <summary>
    /// Why the statement (its normalised words) is refused, or null when a kind accepts it; a statement no kind claims is refused.
    /// </summary>
    public static string? Refusal(string words)
    {
        foreach (var kind in All)
            foreach (var form in kind.Forms)
                if (form.Claims.IsMatch(words)) return form.Refusal(words);
        return $"'{Desired.StatementAcceptance.Head(words)}' is not supported in schema files";
    }

    public static void Line(TextWriter text, string prefix, string value)
    {
        text.Write(prefix);
        text.Write(value);
        text.Write('\n');
    }

    internal static List<(ObjectKind Kind, PlanStep Step)> Order(IReadOnlyList<ObjectKind> kinds)
    {
        var steps = kinds.SelectMany((k, ki) => k.Steps.Select((s, si) => (Kind: k, Step: s, Rank: (ki, si)))).ToList();
        var byName = steps.Select((s, i) => (Name: $"{s.Kind.Name}/{s.Step.Name}", Index: i))
            .ToDictionary(p => p.Name, p => p.Index, StringComparer.Ordinal);
        IEnumerable<int> Resolve(string name, string at)
        {
            if (byName.TryGetValue(name, out var one)) return [one];
            var all = steps.Select((s, i) => (s, i)).Where(p => p.s.Kind.Name == name).Select(p => p.i).ToList();
            return all.Count > 0 ? all : throw new InvalidOperationException($"planning step {at} names '{name}', which is no kind or step");
        }
        var after = steps.Select((s, i) =>
        {
            var name = $"{s.Kind.Name}/{s.Step.Name}";
            var own = s.Rank.si > 0 ? [i - 1] : Array.Empty<int>();
            return own.Concat(s.Kind.PlannedAfter.SelectMany(k => Resolve(k, name)))
                .Concat((s.Step.After ?? []).SelectMany(a => Resolve(a, name))).Where(j => j != i).ToHashSet();
        }).ToList();

        var done = new bool[steps.Count];
        var order = new List<(ObjectKind, PlanStep)>();
        while (order.Count < steps.Count)
        {
            var next = Enumerable.Range(0, steps.Count).FirstOrDefault(i => !done[i] && after[i].All(j => done[j]), -1);
            if (next < 0)
                throw new InvalidOperationException("planning steps wait on each other: " +
                    string.Join(", ", Enumerable.Range(0, steps.Count).Where(i => !done[i])
                        .Select(i => $"{steps[i].Kind.Name}/{steps[i].Step.Name}")));
            done[next] = true;
            order.Add((steps[next].Kind, steps[next].Step));
        }
        return order;
    }
}
