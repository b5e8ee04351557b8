using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KnowItAll.StateMachine;

/// <summary>One Choice rule: a comparison of a variable, or And / Or / Not of rules, with the Next state at the top level.</summary>
public sealed class ChoiceRule
{
    private static readonly string[] Operators =
    [
        "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches",
        "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals",
        "BooleanEquals",
        "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals",
        "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp",
    ];

    private ReferencePath? _variable;
    private string? _operator;
    private JsonNode? _operand;
    private ReferencePath? _operandPath;
    private List<ChoiceRule>? _all;
    private List<ChoiceRule>? _any;
    private ChoiceRule? _not;

    public string? Next { get; private set; }

    public static ChoiceRule Parse(JsonObject rule, string where, bool top)
    {
        var parsed = new ChoiceRule();
        foreach (var (key, value) in rule)
        {
            switch (key)
            {
                case "Next" when top:
                    parsed.Next = value?.GetValue<string>();
                    break;
                case "Comment":
                    break;
                case "Variable":
                    parsed._variable = ReferencePath.Parse(value!.GetValue<string>(), where);
                    break;
                case "And" or "Or":
                    var list = (value as JsonArray ?? throw new DefinitionException($"{where}: {key} takes an array of rules"))
                        .Select(r => Parse(r as JsonObject ?? throw new DefinitionException($"{where}: {key} takes rules"), where, false)).ToList();
                    if (list.Count == 0) throw new DefinitionException($"{where}: {key} needs at least one rule");
                    if (key == "And") parsed._all = list; else parsed._any = list;
                    break;
                case "Not":
                    parsed._not = Parse(value as JsonObject ?? throw new DefinitionException($"{where}: Not takes a rule"), where, false);
                    break;
                default:
                    var op = key.EndsWith("Path", StringComparison.Ordinal) && !key.StartsWith("Is", StringComparison.Ordinal) ? key[..^4] : key;
                    if (!Operators.Contains(op) || parsed._operator is not null || (op == "StringMatches" && key != op))
                        throw new DefinitionException($"{where}: '{key}' is not a Choice rule field this executor supports");
                    parsed._operator = op;
                    if (key != op) parsed._operandPath = ReferencePath.Parse(value!.GetValue<string>(), where);
                    else parsed._operand = value?.DeepClone();
                    break;
            }
        }
        var kinds = (parsed._operator is null ? 0 : 1) + (parsed._all is null ? 0 : 1) + (parsed._any is null ? 0 : 1) +
            (parsed._not is null ? 0 : 1);
        if (kinds != 1) throw new DefinitionException($"{where}: a Choice rule needs exactly one comparison, And, Or or Not");
        if (parsed._operator is not null && parsed._variable is null) throw new DefinitionException($"{where}: a comparison needs a Variable");
        if (top && parsed.Next is null) throw new DefinitionException($"{where}: a top-level Choice rule needs Next");
        return parsed;
    }

    public bool Matches(JsonNode? input, JsonNode? context, string where)
    {
        if (_all is not null) return _all.All(r => r.Matches(input, context, where));
        if (_any is not null) return _any.Any(r => r.Matches(input, context, where));
        if (_not is not null) return !_not.Matches(input, context, where);

        var present = _variable!.TrySelect(_variable.IsContext ? context : input, out var value);
        if (_operator == "IsPresent") return present == Bool(_operand);
        if (!present)
            throw new StatesException(StatesErrors.Runtime,
                $"{where}: Invalid path '{_variable.Text}': the choice state's condition path references an undefined value");
        var operand = _operandPath is null ? _operand : _operandPath.Select(_operandPath.IsContext ? context : input, StatesErrors.Runtime, where);
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        return _operator! switch
        {
            "IsNull" => (kind == JsonValueKind.Null) == Bool(operand),
            "IsNumeric" => (kind == JsonValueKind.Number) == Bool(operand),
            "IsString" => (kind == JsonValueKind.String) == Bool(operand),
            "IsBoolean" => (kind is JsonValueKind.True or JsonValueKind.False) == Bool(operand),
            "IsTimestamp" => (Timestamp(value) is not null) == Bool(operand),
            "BooleanEquals" => kind is JsonValueKind.True or JsonValueKind.False && value!.GetValue<bool>() == Bool(operand),
            "StringMatches" => kind == JsonValueKind.String && operand is JsonValue pattern && Wildcard(pattern.GetValue<string>())
            .IsMatch(value!.GetValue<string>()),
            var op when op.StartsWith("String", StringComparison.Ordinal) =>
                kind == JsonValueKind.String && operand is JsonValue so && so.GetValueKind() == JsonValueKind.String
                && Compare(op["String".Length..], string.CompareOrdinal(value!.GetValue<string>(), so.GetValue<string>())),
            var op when op.StartsWith("Numeric", StringComparison.Ordinal) =>
                kind == JsonValueKind.Number && operand is JsonValue no && no.GetValueKind() == JsonValueKind.Number
                && Compare(op["Numeric".Length..], value!.GetValue<double>().CompareTo(no.GetValue<double>())),
            var op when op.StartsWith("Timestamp", StringComparison.Ordinal) =>
                Timestamp(value) is { } left && Timestamp(operand) is { } right && Compare(op["Timestamp".Length..], left.CompareTo(right)),
            _ => false,
        };
    }

    private static bool Compare(string relation, int order) => relation switch
    {
        "Equals" => order == 0,
        "LessThan" => order < 0,
        "GreaterThan" => order > 0,
        "LessThanEquals" => order <= 0,
        "GreaterThanEquals" => order >= 0,
        _ => false,
    };

    private static bool Bool(JsonNode? node) => node is JsonValue v && v.GetValueKind() is JsonValueKind.True;

    private static DateTimeOffset? Timestamp(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains('T')
        && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null;

    private static Regex Wildcard(string pattern)
    {
        var regex = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length) regex.Append(Regex.Escape(pattern[++i].ToString()));
            else if (pattern[i] == '*') regex.Append(".*");
            else regex.Append(Regex.Escape(pattern[i].ToString()));
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.Singleline);
    }
}
