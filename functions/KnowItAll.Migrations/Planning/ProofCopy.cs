namespace KnowItAll.Migrations.Planning;

/// <summary>
/// The live objects the plan's proof copies (<see cref="PlanProof"/>): <see cref="Full"/> whole, and tables only referenced as
/// <see cref="Shells"/> (their columns and keys). Each object wanted is taken once, by <see cref="Next"/>, for the kinds to say what
/// it wants in turn.
/// </summary>
internal sealed class ProofCopy(Func<string, IEnumerable<string>> namesIn)
{
    private readonly Queue<(string Name, bool Whole)> _pending = new();

    public HashSet<string> Full { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Shells { get; } = new(StringComparer.Ordinal);

    public void Want(string? name)
    {
        if (name is null || !Full.Add(name)) return;
        Shells.Remove(name);
        _pending.Enqueue((name, true));
    }

    public void WantShell(string? name)
    {
        if (name is not null && !Full.Contains(name) && Shells.Add(name)) _pending.Enqueue((name, false));
    }

    /// <summary>Every object of a managed schema the texts name.</summary>
    public void WantIn(params IEnumerable<string?> texts)
    {
        foreach (var text in texts)
            if (text is not null)
                foreach (var name in namesIn(text)) Want(name);
    }

    public bool Next(out (string Name, bool Whole) next) => _pending.TryDequeue(out next);
}
