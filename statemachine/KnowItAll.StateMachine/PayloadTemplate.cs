using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine;

/// <summary>Parameters / ResultSelector: a JSON template whose <c>"key.$"</c> fields take a path or an intrinsic function.</summary>
public sealed class PayloadTemplate
{
    private readonly JsonNode? _template;
    private readonly Dictionary<string, object> _dynamic = new(StringComparer.Ordinal);

    public PayloadTemplate(JsonNode? template, string where)
    {
        _template = template;
        Compile(template, where);
    }

    private void Compile(JsonNode? node, string where)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s
                            : throw new DefinitionException($"{where}: the value of '{key}' must be a path or an intrinsic function");
                        _dynamic[text] = Intrinsic.Looks(text) ? Intrinsic.Parse(text, where) : ReferencePath.Parse(text, where);
                    }
                    else Compile(value, where);
                }
                break;
            case JsonArray a:
                foreach (var item in a) Compile(item, where);
                break;
        }
    }

    /// <summary>Whether some <c>"key.$"</c> field uses the path (alone or inside an intrinsic function).</summary>
    public bool Mentions(string path) => _dynamic.Keys.Any(text => text.Contains(path, StringComparison.Ordinal));

    public JsonNode? Evaluate(JsonNode? input, JsonNode? context, string where) => Build(_template, input, context, where);

    private JsonNode? Build(JsonNode? node, JsonNode? input, JsonNode? context, string where)
    {
        switch (node)
        {
            case JsonObject o:
                var result = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        var expression = _dynamic[value!.GetValue<string>()];
                        result[key[..^2]] = expression switch
                        {
                            Intrinsic i => i.Evaluate(input, context, where),
                            ReferencePath p => p.Select(p.IsContext ? context : input, StatesErrors.Runtime, where),
                            _ => null,
                        };
                    }
                    else result[key] = Build(value, input, context, where);
                }
                return result;
            case JsonArray a:
                return new JsonArray([.. a.Select(item => Build(item, input, context, where))]);
            default:
                return node?.DeepClone();
        }
    }
}
