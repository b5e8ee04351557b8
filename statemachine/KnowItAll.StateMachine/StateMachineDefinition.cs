using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KnowItAll.StateMachine;

/// <summary>A States Language definition (JSONPath), loaded with its placeholders substituted and every state checked.</summary>
public sealed partial class StateMachineDefinition
{
    private StateMachineDefinition(string startAt, IReadOnlyDictionary<string, StateDefinition> states, string? comment, int? timeoutSeconds)
    {
        StartAt = startAt;
        States = states;
        Comment = comment;
        TimeoutSeconds = timeoutSeconds;
    }

    public string StartAt { get; }

    public IReadOnlyDictionary<string, StateDefinition> States { get; }

    public string? Comment { get; }

    public int? TimeoutSeconds { get; }

    /// <summary>Replaces <c>${Name}</c> placeholders (as CDK's DefinitionSubstitutions does), then parses and checks.</summary>
    public static StateMachineDefinition Load(string json, IReadOnlyDictionary<string, string> substitutions)
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var substituted = Placeholder().Replace(json, m =>
        {
            if (substitutions.TryGetValue(m.Groups[1].Value, out var value)) return JsonEncodedText.Encode(value).ToString();
            missing.Add(m.Groups[1].Value);
            return m.Value;
        });
        if (missing.Count > 0)
            throw new DefinitionException($"placeholders without a value: {string.Join(", ", missing.Select(m => "${" + m + "}"))}");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(substituted) as JsonObject ?? throw new DefinitionException("the definition is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new DefinitionException($"the definition is not valid JSON: {e.Message}");
        }
        if (root["QueryLanguage"]?.GetValue<string>() is { } language && language != "JSONPath")
            throw new DefinitionException($"QueryLanguage {language} is not supported by the local executor (JSONPath only)");
        return Parse(root, "definition");
    }

    internal static StateMachineDefinition Parse(JsonObject root, string where)
    {
        foreach (var (key, _) in root)
            if (key is not ("StartAt" or "States" or "Comment" or "TimeoutSeconds" or "Version" or "QueryLanguage"))
                throw new DefinitionException($"{where}: top-level field '{key}' is not supported");
        var startAt = root["StartAt"]?.GetValue<string>() ?? throw new DefinitionException($"{where}: StartAt is missing");
        var statesJson = root["States"] as JsonObject ?? throw new DefinitionException($"{where}: States is missing");
        var states = new Dictionary<string, StateDefinition>(StringComparer.Ordinal);
        foreach (var (name, value) in statesJson)
        {
            if (name.Length is 0 or > 80) throw new DefinitionException($"{where}: state name '{name}' must be 1 to 80 characters");
            states[name] = StateDefinition.Parse(name, value as JsonObject ?? throw new DefinitionException($"{where}.{name}: not an object"),
                $"{where}.States['{name}']");
        }
        if (!states.ContainsKey(startAt)) throw new DefinitionException($"{where}: StartAt '{startAt}' names no state");
        foreach (var state in states.Values)
            foreach (var (target, _) in state.Transitions())
                if (!states.ContainsKey(target))
                    throw new DefinitionException($"{where}: state '{state.Name}' moves to '{target}', which does not exist");
        return new StateMachineDefinition(startAt, states, root["Comment"]?.GetValue<string>(), root["TimeoutSeconds"]?.GetValue<int>());
    }

    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
