using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine;

/// <summary>An intrinsic function call (<c>States.Format('{} x', $.a)</c>), parsed when the definition loads.</summary>
public sealed class Intrinsic
{
    private static readonly HashSet<string> Supported =
    [
        "States.Format", "States.StringToJson", "States.JsonToString", "States.Array", "States.JsonMerge",
        "States.ArrayLength", "States.ArrayContains", "States.UUID",
    ];

    private readonly string _name;
    private readonly IReadOnlyList<object?> _args;

    private Intrinsic(string name, IReadOnlyList<object?> args)
    {
        _name = name;
        _args = args;
    }

    public static bool Looks(string text) => text.StartsWith("States.", StringComparison.Ordinal);

    public static Intrinsic Parse(string text, string where)
    {
        var position = 0;
        var call = ParseCall(text, ref position, where);
        if (position != text.Length) throw new DefinitionException($"{where}: unexpected text after the intrinsic call in '{text}'");
        return call;
    }

    public JsonNode? Evaluate(JsonNode? input, JsonNode? context, string where)
    {
        var values = _args.Select(a => a switch
        {
            ReferencePath p => p.Select(p.IsContext ? context : input, StatesErrors.Runtime, where),
            Intrinsic i => i.Evaluate(input, context, where),
            JsonNode n => n.DeepClone(),
            _ => null,
        }).ToList();
        try
        {
            return _name switch
            {
                "States.Format" => Format(values, where),
                "States.StringToJson" => JsonNode.Parse(Arg<string>(values, 0, where)),
                "States.JsonToString" => JsonValue.Create(values.ElementAtOrDefault(0)?.ToJsonString() ?? "null"),
                "States.Array" => new JsonArray([.. values]),
                "States.JsonMerge" => Merge(values, where),
                "States.ArrayLength" => JsonValue.Create((values.ElementAtOrDefault(0) as JsonArray ?? throw Bad(where, "an array")).Count),
                "States.ArrayContains" => JsonValue.Create((values.ElementAtOrDefault(0) as JsonArray ?? throw Bad(where, "an array"))
                    .Any(v => JsonNode.DeepEquals(v, values.ElementAtOrDefault(1)))),
                "States.UUID" => JsonValue.Create(Guid.NewGuid().ToString()),
                _ => throw new StatesException(StatesErrors.IntrinsicFailure, $"{where}: {_name} is not supported"),
            };
        }
        catch (JsonException e)
        {
            throw new StatesException(StatesErrors.IntrinsicFailure, $"{where}: {_name}: {e.Message}");
        }
    }

    private JsonNode Format(List<JsonNode?> values, string where)
    {
        var template = Arg<string>(values, 0, where);
        var result = new StringBuilder();
        var next = 1;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '{' && i + 1 < template.Length && template[i + 1] == '}')
            {
                if (next >= values.Count)
                    throw new StatesException(StatesErrors.IntrinsicFailure, $"{where}: States.Format has more {{}} than arguments");
                result.Append(values[next++] switch
                {
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    null => "null",
                    JsonValue v => v.ToJsonString(),
                    _ => throw new StatesException(StatesErrors.IntrinsicFailure, $"{where}: States.Format takes strings, numbers, booleans or null"),
                });
                i++;
            }
            else result.Append(template[i]);
        }
        if (next != values.Count) throw new StatesException(StatesErrors.IntrinsicFailure, $"{where}: States.Format has more arguments than {{}}");
        return JsonValue.Create(result.ToString());
    }

    private static JsonNode Merge(List<JsonNode?> values, string where)
    {
        if (values.Count != 3 || values[0] is not JsonObject left || values[1] is not JsonObject right || values[2] is not JsonValue deep)
            throw Bad(where, "two objects and false");
        if (deep.GetValue<bool>())
            throw new StatesException(StatesErrors.IntrinsicFailure, $"{where}: States.JsonMerge supports shallow merges only (false), as AWS does");
        var merged = (JsonObject)left.DeepClone();
        foreach (var (key, value) in right) merged[key] = value?.DeepClone();
        return merged;
    }

    private static T Arg<T>(List<JsonNode?> values, int index, string where) =>
        values.ElementAtOrDefault(index) is JsonValue v && v.TryGetValue<T>(out var value) ? value
        : throw Bad(where, typeof(T).Name.ToLowerInvariant());

    private static StatesException Bad(string where, string expected) =>
        new(StatesErrors.IntrinsicFailure, $"{where}: an argument is not {expected}");

    private static Intrinsic ParseCall(string text, ref int position, string where)
    {
        var open = text.IndexOf('(', position);
        if (open < 0) throw new DefinitionException($"{where}: '{text}' is not an intrinsic function call");
        var name = text[position..open].Trim();
        if (!Supported.Contains(name)) throw new DefinitionException($"{where}: intrinsic function {name} is not supported by the local executor");
        position = open + 1;
        var args = new List<object?>();
        SkipSpaces(text, ref position);
        while (position < text.Length && text[position] != ')')
        {
            args.Add(ParseArgument(text, ref position, where));
            SkipSpaces(text, ref position);
            if (position < text.Length && text[position] == ',') { position++; SkipSpaces(text, ref position); }
        }
        if (position >= text.Length) throw new DefinitionException($"{where}: missing ')' in '{text}'");
        position++;
        return new Intrinsic(name, args);
    }

    private static object? ParseArgument(string text, ref int position, string where)
    {
        var c = text[position];
        if (c == '\'')
        {
            var value = new StringBuilder();
            position++;
            while (position < text.Length && text[position] != '\'')
            {
                if (text[position] == '\\' && position + 1 < text.Length) position++;
                value.Append(text[position++]);
            }
            if (position >= text.Length) throw new DefinitionException($"{where}: unterminated string in '{text}'");
            position++;
            return JsonValue.Create(value.ToString());
        }
        if (c == '$')
        {
            var start = position;
            while (position < text.Length && text[position] != ',' && text[position] != ')' && !char.IsWhiteSpace(text[position])) position++;
            return ReferencePath.Parse(text[start..position], where);
        }
        if (text.AsSpan(position).StartsWith("States.")) return ParseCall(text, ref position, where);
        var end = position;
        while (end < text.Length && text[end] != ',' && text[end] != ')') end++;
        var literal = text[position..end].Trim();
        position = end;
        return literal switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" => null,
            _ when double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => JsonNode.Parse(literal),
            _ => throw new DefinitionException($"{where}: '{literal}' is not a valid intrinsic argument"),
        };
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
    }
}
