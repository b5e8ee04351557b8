using System.Text.Json;
using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine;

/// <summary>
/// An AWS Step Functions Local mock configuration: StateMachines → name → TestCases → case → state → response
/// name, and MockedResponses → name → attempt range ("0", "1-2") → Return or Throw.
/// </summary>
public sealed class MockConfig
{
    private readonly Dictionary<string, Dictionary<string, string>> _cases;
    private readonly Dictionary<string, List<(int From, int To, JsonNode? Return, string? Error, string? Cause)>> _responses;

    private MockConfig(Dictionary<string, Dictionary<string, string>> cases, Dictionary<string, List<(int, int, JsonNode?, string?, string?)>> responses)
    {
        _cases = cases;
        _responses = responses;
    }

    /// <summary>The mocked states of one test case of one state machine.</summary>
    public IReadOnlyDictionary<string, string> TestCase(string stateMachine, string testCase) =>
        _cases.TryGetValue($"{stateMachine}\n{testCase}", out var states) ? states
            : throw new DefinitionException($"mock config: state machine '{stateMachine}' has no test case '{testCase}'");

    public static MockConfig Load(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new DefinitionException("mock config: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new DefinitionException($"mock config: not valid JSON: {e.Message}");
        }
        var responses = new Dictionary<string, List<(int, int, JsonNode?, string?, string?)>>(StringComparer.Ordinal);
        foreach (var (name, ranges) in root["MockedResponses"] as JsonObject ?? throw new DefinitionException("mock config: MockedResponses is missing"))
        {
            var list = new List<(int, int, JsonNode?, string?, string?)>();
            foreach (var (range, response) in ranges as JsonObject ?? throw new DefinitionException($"mock config: response '{name}' is not an object"))
            {
                var bounds = range.Split('-');
                if (bounds.Length > 2 || !bounds.All(b => int.TryParse(b, out var n) && n >= 0))
                    throw new DefinitionException($"mock config: response '{name}': '{range}' is not an attempt or a range like 1-2");
                var from = int.Parse(bounds[0]);
                var to = int.Parse(bounds[^1]);
                if (response is not JsonObject r || r.ContainsKey("Return") == r.ContainsKey("Throw"))
                    throw new DefinitionException($"mock config: response '{name}' attempt '{range}' needs exactly one of Return or Throw");
                var thrown = r["Throw"] as JsonObject;
                list.Add((from, to, r["Return"]?.DeepClone(), thrown?["Error"]?.GetValue<string>(), thrown?["Cause"]?.GetValue<string>()));
            }
            responses[name] = list;
        }
        var cases = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (machine, body) in root["StateMachines"] as JsonObject ?? throw new DefinitionException("mock config: StateMachines is missing"))
        foreach (var (testCase, states) in body?["TestCases"] as JsonObject ?? throw new DefinitionException($"mock config: state machine '{machine}' has no TestCases"))
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (state, response) in states as JsonObject ?? throw new DefinitionException($"mock config: test case '{testCase}' is not an object"))
            {
                var responseName = response!.GetValue<string>();
                if (!responses.ContainsKey(responseName)) throw new DefinitionException($"mock config: test case '{testCase}' state '{state}' names unknown response '{responseName}'");
                map[state] = responseName;
            }
            cases[$"{machine}\n{testCase}"] = map;
        }
        return new MockConfig(cases, responses);
    }

    /// <summary>The mocked result of one attempt (0 = the first); a Throw becomes the task's failure.</summary>
    public JsonNode? Respond(string responseName, int attempt)
    {
        foreach (var (from, to, value, error, cause) in _responses[responseName])
        {
            if (attempt < from || attempt > to) continue;
            if (error is not null) throw new TaskFailedException(error, cause ?? "");
            return value?.DeepClone();
        }
        throw new StatesException(StatesErrors.Runtime, $"mock response '{responseName}' has nothing for attempt {attempt}");
    }
}
