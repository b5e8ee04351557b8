using System.Diagnostics;

namespace KnowItAll.Benchmarks;

/// <summary>Repeated timings of one thing, summarised as median and spread.</summary>
public sealed record Timing(string Name, IReadOnlyList<double> Milliseconds)
{
    public double Median
    {
        get
        {
            var sorted = Milliseconds.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public string Spread => $"{Milliseconds.Min():0}–{Milliseconds.Max():0}";

    public static async Task<Timing> RunAsync(string name, int runs, Func<Task> body)
    {
        var results = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await body();
            results.Add(watch.Elapsed.TotalMilliseconds);
        }
        return new Timing(name, results);
    }
}
