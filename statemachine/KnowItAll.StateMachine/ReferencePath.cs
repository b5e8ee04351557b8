using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine;

/// <summary>
/// A Reference Path of the States Language: <c>$</c>, <c>$.a.b</c>, <c>$['a']</c>, <c>$.a[0]</c> (and the same on
/// <c>$$</c> for the context object). Wildcards, filters and deep scans are not reference paths and are rejected.
/// </summary>
public sealed class ReferencePath
{
    private readonly IReadOnlyList<object> _steps;

    private ReferencePath(string text, bool context, IReadOnlyList<object> steps)
    {
        Text = text;
        IsContext = context;
        _steps = steps;
    }

    public string Text { get; }

    public bool IsContext { get; }

    public static ReferencePath Parse(string text, string where)
    {
        var context = text.StartsWith("$$", StringComparison.Ordinal);
        if (!text.StartsWith('$')) throw new DefinitionException($"{where}: '{text}' is not a path (it must start with $)");
        var steps = new List<object>();
        var i = context ? 2 : 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] != '.' && text[i] != '[') i++;
                var name = text[start..i];
                if (name.Length == 0 || name.Contains('*') || name.Contains('@')) throw Unsupported(text, where);
                steps.Add(name);
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0) throw Unsupported(text, where);
                var inner = text[(i + 1)..end];
                if (inner.Length > 1 && inner[0] == '\'' && inner[^1] == '\'') steps.Add(inner[1..^1]);
                else if (int.TryParse(inner, out var index) && index >= 0) steps.Add(index);
                else throw Unsupported(text, where);
                i = end + 1;
            }
            else throw Unsupported(text, where);
        }
        return new ReferencePath(text, context, steps);
    }

    /// <summary>Selects the node the path names; false when it does not exist.</summary>
    public bool TrySelect(JsonNode? root, out JsonNode? value)
    {
        value = root;
        foreach (var step in _steps)
        {
            switch (step)
            {
                case string name when value is JsonObject o && o.TryGetPropertyValue(name, out var child):
                    value = child;
                    break;
                case int index when value is JsonArray a && index < a.Count:
                    value = a[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }
        return true;
    }

    public JsonNode? Select(JsonNode? root, string error, string where) =>
        TrySelect(root, out var value) ? value?.DeepClone()
        : throw new StatesException(error, $"{where}: the path '{Text}' names nothing in the input");

    /// <summary>ResultPath: a copy of <paramref name="input"/> with <paramref name="result"/> placed at this path.</summary>
    public JsonNode? Place(JsonNode? input, JsonNode? result, string where)
    {
        if (_steps.Count == 0) return result?.DeepClone();
        var root = input?.DeepClone() ?? new JsonObject();
        if (root is not JsonObject)
            throw new StatesException(StatesErrors.ResultPathMatchFailure, $"{where}: ResultPath '{Text}' needs an object input");
        JsonNode current = root;
        for (var s = 0; s < _steps.Count; s++)
        {
            var last = s == _steps.Count - 1;
            switch (_steps[s], current)
            {
                case (string name, JsonObject o):
                    if (last) o[name] = result?.DeepClone();
                    else current = o[name] as JsonObject ?? (JsonNode)(o[name] = new JsonObject());
                    break;
                case (int index, JsonArray a) when index < a.Count:
                    if (last) a[index] = result?.DeepClone();
                    else current = a[index]
                        ?? throw new StatesException(StatesErrors.ResultPathMatchFailure, $"{where}: ResultPath '{Text}' crosses a null");
                    break;
                default:
                    throw new StatesException(StatesErrors.ResultPathMatchFailure, $"{where}: ResultPath '{Text}' does not match the input's shape");
            }
        }
        return root;
    }

    private static DefinitionException Unsupported(string text, string where) =>
        new($"{where}: '{text}' is not a reference path this executor supports ($, .name, ['name'], [index])");
}
