namespace KnowItAll.Migrations.Catalog;

/// <summary>What the planner asks of a live table a change depends on: whether its heap has rows, and what a rewrite copies.</summary>
/// <param name="HasRows">The heap holds at least one page (statistics can call a fresh table empty when it is not).</param>
/// <param name="TotalBytes">Heap, TOAST and indexes: what a rewrite copies and rebuilds under its lock.</param>
public sealed record TableSize(bool HasRows, long TotalBytes)
{
    public static TableSize Empty { get; } = new(false, 0);
}
