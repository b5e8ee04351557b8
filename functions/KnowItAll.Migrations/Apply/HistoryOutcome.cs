using System.Text.Json.Serialization;
using KnowItAll.Migrations.Json;

namespace KnowItAll.Migrations.Apply;

/// <summary>How a recorded run ended; the history table stores and checks the same wire names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HistoryOutcome>))]
public enum HistoryOutcome
{
    [JsonStringEnumMemberName("applied")] Applied,

    /// <summary>Written before statements outside the transaction run: a kill leaves it, and the next run settles it.</summary>
    [JsonStringEnumMemberName("applying")] Applying,

    [JsonStringEnumMemberName("no_changes")] NoChanges,
    [JsonStringEnumMemberName("failed")] Failed,
}

public static class HistoryOutcomes
{
    private static readonly WireNameMap<HistoryOutcome> Names = new(MigrationJsonContext.Default.HistoryOutcome);

    public static string ToWire(this HistoryOutcome outcome) => Names[outcome];

    /// <summary>The table's CHECK list, from the same names.</summary>
    public static string SqlList => string.Join(", ", Names.Names.Select(n => $"'{n}'"));

    public static HistoryOutcome Parse(string wire) => Names.Parse(wire);
}
