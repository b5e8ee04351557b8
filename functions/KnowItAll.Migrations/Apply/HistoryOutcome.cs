using System.Text.Json;
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
    private static readonly Dictionary<HistoryOutcome, string> Names =
        Enum.GetValues<HistoryOutcome>().ToDictionary(v => v, v => JsonSerializer.Serialize(v, MigrationJsonContext.Default.HistoryOutcome)
            .Trim('"'));

    public static string ToWire(this HistoryOutcome outcome) => Names[outcome];

    /// <summary>The table's CHECK list, from the same names.</summary>
    public static string SqlList => string.Join(", ", Names.Values.Select(n => $"'{n}'"));

    public static HistoryOutcome Parse(string wire) => Names.First(p => p.Value == wire).Key;
}
