using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace KnowItAll.Migrations.Json;

/// <summary>
/// The wire name of each value of a closed set, taken from the JSON source generator itself, so that a digest, the console,
/// a report, the history table and the catalog queries all use the names the JSON carries. One map per enum.
/// </summary>
public sealed class WireNameMap<T> where T : struct, Enum
{
    private readonly Dictionary<T, string> _names;

    public WireNameMap(JsonTypeInfo<T> type) =>
        _names = Enum.GetValues<T>().ToDictionary(v => v, v => JsonSerializer.Serialize(v, type).Trim('"'));

    public IEnumerable<string> Names => _names.Values;

    public string this[T value] => _names[value];

    /// <summary>The value with that wire name; another name is a bug where it was read (a query, a table), never one to skip.</summary>
    public T Parse(string wire) =>
        _names.FirstOrDefault(p => p.Value == wire) is { Value: not null } found
            ? found.Key
            : throw new InvalidOperationException($"unknown {typeof(T).Name} '{wire}'");
}
