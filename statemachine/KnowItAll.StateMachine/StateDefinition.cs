using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine;

public sealed record Retrier(IReadOnlyList<string> ErrorEquals, double IntervalSeconds, int MaxAttempts, double BackoffRate, double? MaxDelaySeconds);

public sealed record Catcher(IReadOnlyList<string> ErrorEquals, string Next, ReferencePath? ResultPath, bool DiscardResult);

/// <summary>One state of a definition, checked field by field when loaded.</summary>
public sealed class StateDefinition
{
    private static readonly Dictionary<string, string[]> Fields = new(StringComparer.Ordinal)
    {
        ["Task"] = ["Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Resource", "Parameters", "ResultSelector", "ResultPath", "Retry",
            "Catch", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath"],
        ["Pass"] = ["Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Parameters", "Result", "ResultPath"],
        ["Choice"] = ["Type", "Comment", "InputPath", "OutputPath", "Choices", "Default"],
        ["Wait"] = ["Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
        ["Succeed"] = ["Type", "Comment", "InputPath", "OutputPath"],
        ["Fail"] = ["Type", "Comment", "Error", "Cause", "ErrorPath", "CausePath"],
        ["Parallel"] = ["Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch",
            "Branches"],
    };

    public required string Name { get; init; }
    public required string Type { get; init; }
    public string? Next { get; init; }
    public bool End { get; init; }
    public ReferencePath? InputPath { get; init; }
    public bool DiscardInput { get; init; }
    public ReferencePath? OutputPath { get; init; }
    public bool DiscardOutput { get; init; }
    public ReferencePath? ResultPath { get; init; }
    public bool DiscardResult { get; init; }
    public PayloadTemplate? Parameters { get; init; }
    public PayloadTemplate? ResultSelector { get; init; }
    public JsonNode? Result { get; init; }
    public string? Resource { get; init; }
    public int? TimeoutSeconds { get; init; }
    public ReferencePath? TimeoutSecondsPath { get; init; }
    public int? HeartbeatSeconds { get; init; }
    public ReferencePath? HeartbeatSecondsPath { get; init; }

    /// <summary>A callback task: it waits for SendTaskSuccess or SendTaskFailure with the token it passed on.</summary>
    public bool WaitsForTaskToken => Resource?.EndsWith(".waitForTaskToken", StringComparison.Ordinal) == true;
    public IReadOnlyList<Retrier> Retry { get; init; } = [];
    public IReadOnlyList<Catcher> Catch { get; init; } = [];
    public IReadOnlyList<ChoiceRule> Choices { get; init; } = [];
    public string? Default { get; init; }
    public double? Seconds { get; init; }
    public ReferencePath? SecondsPath { get; init; }
    public string? Timestamp { get; init; }
    public ReferencePath? TimestampPath { get; init; }
    public string? Error { get; init; }
    public string? Cause { get; init; }
    public object? ErrorPath { get; init; }
    public object? CausePath { get; init; }
    public IReadOnlyList<StateMachineDefinition> Branches { get; init; } = [];

    /// <summary>Every state this one can move to, for checking the graph and drawing it.</summary>
    public IEnumerable<(string Target, string Label)> Transitions()
    {
        if (Next is not null) yield return (Next, "");
        foreach (var (rule, i) in Choices.Select((r, i) => (r, i))) yield return (rule.Next!, $"rule {i + 1}");
        if (Default is not null) yield return (Default, "default");
        foreach (var c in Catch) yield return (c.Next, "catch " + string.Join(", ", c.ErrorEquals));
    }

    internal static StateDefinition Parse(string name, JsonObject json, string where)
    {
        var type = json["Type"]?.GetValue<string>() ?? throw new DefinitionException($"{where}: state has no Type");
        if (!Fields.TryGetValue(type, out var allowed))
            throw new DefinitionException(
                $"{where}: state type '{type}' is not supported by the local executor (supported: {string.Join(", ", Fields.Keys)})");
        foreach (var (key, _) in json)
            if (!allowed.Contains(key))
                throw new DefinitionException($"{where}: field '{key}' is not supported on a {type} state by the local executor");

        var (inputPath, discardInput) = OptionalPath(json, "InputPath", where);
        var (outputPath, discardOutput) = OptionalPath(json, "OutputPath", where);
        var (resultPath, discardResult) = OptionalPath(json, "ResultPath", where);
        var state = new StateDefinition
        {
            Name = name,
            Type = type,
            Next = json["Next"]?.GetValue<string>(),
            End = json["End"]?.GetValue<bool>() ?? false,
            InputPath = inputPath,
            DiscardInput = discardInput,
            OutputPath = outputPath,
            DiscardOutput = discardOutput,
            ResultPath = resultPath,
            DiscardResult = discardResult,
            Parameters = json.ContainsKey("Parameters") ? new PayloadTemplate(json["Parameters"], where + ".Parameters") : null,
            ResultSelector = json.ContainsKey("ResultSelector") ? new PayloadTemplate(json["ResultSelector"], where + ".ResultSelector") : null,
            Result = json["Result"]?.DeepClone(),
            Resource = json["Resource"]?.GetValue<string>(),
            TimeoutSeconds = json["TimeoutSeconds"]?.GetValue<int>(),
            TimeoutSecondsPath = json["TimeoutSecondsPath"] is { } tsp ? ReferencePath.Parse(tsp.GetValue<string>(), where) : null,
            HeartbeatSeconds = json["HeartbeatSeconds"]?.GetValue<int>(),
            HeartbeatSecondsPath = json["HeartbeatSecondsPath"] is { } hsp ? ReferencePath.Parse(hsp.GetValue<string>(), where) : null,
            Retry = (json["Retry"] as JsonArray)?.Select((r, i) => ParseRetrier(r as JsonObject, $"{where}.Retry[{i}]")).ToList() ?? [],
            Catch = (json["Catch"] as JsonArray)?.Select((c, i) => ParseCatcher(c as JsonObject, $"{where}.Catch[{i}]")).ToList() ?? [],
            Choices =
                (json["Choices"] as JsonArray)?.Select((c, i) => ChoiceRule.Parse(c as JsonObject
                    ?? throw new DefinitionException($"{where}: Choices[{i}] is not a rule"), $"{where}.Choices[{i}]", true)).ToList() ?? [],
            Default = json["Default"]?.GetValue<string>(),
            Seconds = json["Seconds"]?.GetValue<double>(),
            SecondsPath = json["SecondsPath"] is { } sp ? ReferencePath.Parse(sp.GetValue<string>(), where) : null,
            Timestamp = json["Timestamp"]?.GetValue<string>(),
            TimestampPath = json["TimestampPath"] is { } tp ? ReferencePath.Parse(tp.GetValue<string>(), where) : null,
            Error = json["Error"]?.GetValue<string>(),
            Cause = json["Cause"]?.GetValue<string>(),
            ErrorPath = json["ErrorPath"] is { } ep ? PathOrIntrinsic(ep.GetValue<string>(), where) : null,
            CausePath = json["CausePath"] is { } cp ? PathOrIntrinsic(cp.GetValue<string>(), where) : null,
            Branches = (json["Branches"] as JsonArray)?.Select((b, i) => StateMachineDefinition.Parse(b as JsonObject
                ?? throw new DefinitionException($"{where}: branch {i} is not an object"), $"{where}.Branches[{i}]")).ToList() ?? [],
        };
        state.Check(where);
        return state;
    }

    private void Check(string where)
    {
        var terminal = Type is "Succeed" or "Fail" or "Choice";
        if (!terminal && (Next is null) == !End) throw new DefinitionException($"{where}: a {Type} state needs exactly one of Next or End");
        if (Type == "Task" && string.IsNullOrEmpty(Resource)) throw new DefinitionException($"{where}: a Task needs a Resource");
        if (TimeoutSeconds is not null && TimeoutSecondsPath is not null || HeartbeatSeconds is not null && HeartbeatSecondsPath is not null)
            throw new DefinitionException($"{where}: TimeoutSeconds/TimeoutSecondsPath and HeartbeatSeconds/HeartbeatSecondsPath are exclusive");
        if (TimeoutSeconds is < 1 || HeartbeatSeconds is < 1)
            throw new DefinitionException($"{where}: TimeoutSeconds and HeartbeatSeconds must be positive integers");
        if (HeartbeatSeconds is { } heartbeat && TimeoutSeconds is { } timeout && heartbeat >= timeout)
            throw new DefinitionException($"{where}: HeartbeatSeconds must be smaller than TimeoutSeconds");
        // AWS refuses such a definition: a task that waits for a token has to hand the token to someone.
        if (WaitsForTaskToken && Parameters?.Mentions("$$.Task.Token") != true)
            throw new DefinitionException($"{where}: a .waitForTaskToken task must pass $$.Task.Token in its Parameters");
        if (Type == "Choice" && Choices.Count == 0) throw new DefinitionException($"{where}: a Choice needs Choices");
        if (Type == "Parallel" && Branches.Count == 0) throw new DefinitionException($"{where}: a Parallel state needs Branches");
        if (Type == "Wait" && new object?[] { Seconds, SecondsPath, Timestamp, TimestampPath }.Count(x => x is not null) != 1)
            throw new DefinitionException($"{where}: a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath");
        if (Type == "Fail" && (Error is not null && ErrorPath is not null || Cause is not null && CausePath is not null))
            throw new DefinitionException($"{where}: Error/ErrorPath and Cause/CausePath are exclusive");
        for (var i = 0; i < Retry.Count; i++)
            if (Retry[i].ErrorEquals.Contains(StatesErrors.All) && (Retry[i].ErrorEquals.Count > 1 || i != Retry.Count - 1))
                throw new DefinitionException($"{where}: States.ALL must be alone and in the last retrier");
        for (var i = 0; i < Catch.Count; i++)
            if (Catch[i].ErrorEquals.Contains(StatesErrors.All) && (Catch[i].ErrorEquals.Count > 1 || i != Catch.Count - 1))
                throw new DefinitionException($"{where}: States.ALL must be alone and in the last catcher");
    }

    private static (ReferencePath?, bool Discard) OptionalPath(JsonObject json, string field, string where)
    {
        if (!json.TryGetPropertyValue(field, out var value)) return (null, false);
        return value is null ? (null, true) : (ReferencePath.Parse(value.GetValue<string>(), $"{where}.{field}"), false);
    }

    private static object PathOrIntrinsic(string text, string where) => Intrinsic.Looks(text) ? Intrinsic.Parse(text, where)
        : ReferencePath.Parse(text, where);

    private static Retrier ParseRetrier(JsonObject? json, string where)
    {
        if (json is null) throw new DefinitionException($"{where}: not an object");
        foreach (var (key, _) in json)
            if (key is not (
                "ErrorEquals" or "IntervalSeconds" or "MaxAttempts" or "BackoffRate" or "MaxDelaySeconds" or "Comment" or "JitterStrategy"))
                throw new DefinitionException($"{where}: field '{key}' is not supported on a retrier");
        if (json["JitterStrategy"]?.GetValue<string>() is { } jitter && jitter != "NONE")
            throw new DefinitionException($"{where}: JitterStrategy {jitter} is not supported by the local executor (NONE only)");
        return new Retrier(Errors(json, where), json["IntervalSeconds"]?.GetValue<double>() ?? 1, json["MaxAttempts"]?.GetValue<int>() ?? 3,
            json["BackoffRate"]?.GetValue<double>() ?? 2.0, json["MaxDelaySeconds"]?.GetValue<double>());
    }

    private static Catcher ParseCatcher(JsonObject? json, string where)
    {
        if (json is null) throw new DefinitionException($"{where}: not an object");
        foreach (var (key, _) in json)
            if (key is not ("ErrorEquals" or "Next" or "ResultPath" or "Comment"))
                throw new DefinitionException($"{where}: field '{key}' is not supported on a catcher");
        var (path, discard) = OptionalPath(json, "ResultPath", where);
        return new Catcher(Errors(json, where), json["Next"]?.GetValue<string>() ?? throw new DefinitionException($"{where}: a catcher needs Next"),
            path, discard);
    }

    private static List<string> Errors(JsonObject json, string where)
    {
        var errors = (json["ErrorEquals"] as JsonArray)?.Select(e => e!.GetValue<string>()).ToList();
        return errors is { Count: > 0 } ? errors : throw new DefinitionException($"{where}: ErrorEquals must name at least one error");
    }
}
