using System.Text.Json;
using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine;

/// <summary>
/// An AWS Step Functions Local mock configuration: StateMachines → name → TestCases → case → state → response
/// name, and MockedResponses → name → attempt range ("0", "1-2") → Return or Throw.
/// A Lambda function task's Return is the Invoke response, <c>{"StatusCode": 200, "Payload": ...}</c>, as in AWS's
/// format; the task's result is its Payload, and a response with FunctionError fails the task as Lambda's error does.
/// A Return without StatusCode is taken as the result itself, as earlier configs of this project wrote it.
/// </summary>
public sealed class MockConfig
{
    private readonly Dictionary<string, Dictionary<string, string>> _cases;
    private readonly Dictionary<string, List<(int From, int To, JsonNode? Return, string? Error, string? Cause)>> _responses;

    private MockConfig(Dictionary<string, Dictionary<string, string>> cases, Dictionary<string,
        List<(int, int, JsonNode?, string?, string?)>> responses)
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
        foreach (var (name, ranges) in root["MockedResponses"] as JsonObject
            ?? throw new DefinitionException("mock config: MockedResponses is missing"))
        {
            var list = new List<(int, int, JsonNode?, string?, string?)>();
            foreach (var (range, response) in ranges as JsonObject
                ?? throw new DefinitionException($"mock config: response '{name}' is not an object"))
            {
                var bounds = range.Split('-');
                if (bounds.Length > 2 || !bounds.All(b => int.TryParse(b, out var n) && n >= 0))
                    throw new DefinitionException($"mock config: response '{name}': '{range}' is not an attempt or a range like 1-2");
                var from = int.Parse(bounds[0]);
                var to = int.Parse(bounds[^1]);
                var where = $"mock config: response '{name}' attempt '{range}'";
                if (response is not JsonObject r || r.Count != 1 || r.ContainsKey("Return") == r.ContainsKey("Throw"))
                    throw new DefinitionException($"{where} needs exactly one of Return or Throw");
                var thrown = r["Throw"] as JsonObject;
                if (r.ContainsKey("Throw")) CheckThrow(thrown, where);
                if (r["Return"] is JsonObject invoke && invoke.ContainsKey("StatusCode")) CheckInvokeResponse(invoke, where);
                list.Add((from, to, r["Return"]?.DeepClone(), thrown?["Error"]?.GetValue<string>(), thrown?["Cause"]?.GetValue<string>()));
            }
            responses[name] = list;
        }
        var cases = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (machine, body) in root["StateMachines"] as JsonObject ?? throw new DefinitionException("mock config: StateMachines is missing"))
            foreach (var (testCase, states) in body?["TestCases"] as JsonObject
                ?? throw new DefinitionException($"mock config: state machine '{machine}' has no TestCases"))
            {
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (state, response) in states as JsonObject
                    ?? throw new DefinitionException($"mock config: test case '{testCase}' is not an object"))
                {
                    var responseName = response!.GetValue<string>();
                    if (!responses.ContainsKey(responseName))
                        throw new DefinitionException($"mock config: test case '{testCase}' state '{state}' names unknown response '{responseName}'");
                    map[state] = responseName;
                }
                cases[$"{machine}\n{testCase}"] = map;
            }
        return new MockConfig(cases, responses);
    }

    /// <summary>
    /// The mocked result of one attempt (0 = the first); a Throw becomes the task's failure. For a Lambda function
    /// task, an Invoke response gives its Payload, or fails with the function's error.
    /// </summary>
    public JsonNode? Respond(string responseName, int attempt, bool lambdaFunction)
    {
        foreach (var (from, to, value, error, cause) in _responses[responseName])
        {
            if (attempt < from || attempt > to) continue;
            if (error is not null) throw new TaskFailedException(error, cause ?? "");
            if (!lambdaFunction || value is not JsonObject invoke || !invoke.ContainsKey("StatusCode")) return value?.DeepClone();
            var payload = invoke["Payload"];
            // Step Functions names a function error after the payload's errorType and passes the payload as the cause.
            if (invoke.ContainsKey("FunctionError"))
                throw new TaskFailedException(payload!["errorType"]!.GetValue<string>(), payload.ToJsonString(Compact));
            return payload?.DeepClone();
        }
        throw new StatesException(StatesErrors.Runtime, $"mock response '{responseName}' has nothing for attempt {attempt}");
    }

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] InvokeResponseFields = ["StatusCode", "Payload", "FunctionError", "ExecutedVersion", "LogResult"];

    private static void CheckThrow(JsonObject? thrown, string where)
    {
        if (thrown is null || thrown.Count != 2 || thrown["Error"] is not JsonValue error || error.GetValueKind() != JsonValueKind.String
            || thrown["Cause"] is not JsonValue cause || cause.GetValueKind() != JsonValueKind.String)
            throw new DefinitionException($"{where}: Throw needs a string Error and a string Cause, and nothing else");
    }

    private static void CheckInvokeResponse(JsonObject invoke, string where)
    {
        foreach (var (key, _) in invoke)
            if (!InvokeResponseFields.Contains(key))
                throw new DefinitionException(
                    $"{where}: '{key}' is not a field of a Lambda Invoke response (fields: {string.Join(", ", InvokeResponseFields)})");
        if (invoke["StatusCode"] is not JsonValue code || code.GetValueKind() != JsonValueKind.Number)
            throw new DefinitionException($"{where}: StatusCode must be a number, as Lambda's Invoke response has it");
        if (!invoke.ContainsKey("Payload")) throw new DefinitionException($"{where}: a Lambda Invoke response needs a Payload");
        if (invoke.ContainsKey("FunctionError") && (invoke["Payload"] as JsonObject)?["errorType"] is not JsonValue)
            throw new DefinitionException($"{where}: a response with FunctionError needs a Payload with errorType, as a function's error body has");
    }
}
