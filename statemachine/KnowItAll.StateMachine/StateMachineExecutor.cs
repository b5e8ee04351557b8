using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KnowItAll.StateMachine;

public sealed record ExecutorOptions
{
    /// <summary>Used in ARNs and to pick the mock config's state machine.</summary>
    public string StateMachineName { get; init; } = "StateMachine";
    public string Region { get; init; } = "us-east-1";
    public string Account { get; init; } = "123456789012";
    public string RoleArn { get; init; } = "arn:aws:iam::123456789012:role/local-executor";
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How Retry intervals and Wait states pass; tests replace it so nothing sleeps.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>The tokens of <c>.waitForTaskToken</c> tasks; whoever answers SendTaskSuccess / SendTaskFailure shares it.</summary>
    public TaskTokens TaskTokens { get; init; } = new();

    public MockConfig? Mocks { get; init; }
    public string? TestCase { get; init; }

    public string StateMachineArn => $"arn:aws:states:{Region}:{Account}:stateMachine:{StateMachineName}";
}

/// <summary>
/// Runs a <see cref="StateMachineDefinition"/> as AWS Step Functions does (JSONPath): input and output
/// processing, Retry and Catch in AWS's order, the context object, and a history with AWS's event names.
/// </summary>
public sealed class StateMachineExecutor(StateMachineDefinition definition, ITaskInvoker invoker, ExecutorOptions? options = null)
{
    private readonly ExecutorOptions _options = options ?? new ExecutorOptions();
    private readonly ITaskInvoker _invoker = invoker;

    public async Task<ExecutionResult> RunAsync(JsonNode? input, string name, Action<HistoryEvent>? observer = null,
        CancellationToken cancellationToken = default)
    {
        var arn = $"arn:aws:states:{_options.Region}:{_options.Account}:execution:{_options.StateMachineName}:{name}";
        var run = new Run(this, arn, name, input, observer);
        var mocks = _options.Mocks is { } config && _options.TestCase is { } testCase ? config.TestCase(_options.StateMachineName, testCase) : null;
        run.Mocks = mocks;
        run.Record("ExecutionStarted", null, new JsonObject { ["input"] = Json(input), ["roleArn"] = _options.RoleArn });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (definition.TimeoutSeconds is { } seconds) timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        string status;
        JsonNode? output = null;
        string? error = null, cause = null;
        try
        {
            if (Quotas.Utf8Size(input) is var inputBytes and > Quotas.MaxPayloadBytes) throw Quotas.InputTooLarge("The execution input", inputBytes);
            output = await run.ExecuteAsync(definition, input?.DeepClone(), timeout.Token);
            status = ExecutionStatus.Succeeded;
            run.Record("ExecutionSucceeded", null, new JsonObject { ["output"] = Json(output) });
        }
        catch (StatesException e)
        {
            (status, error, cause) = (ExecutionStatus.Failed, e.Error, e.Cause);
            run.Record("ExecutionFailed", null, new JsonObject { ["error"] = e.Error, ["cause"] = e.Cause });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = ExecutionStatus.Aborted;
            run.Record("ExecutionAborted", null, []);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            (status, error, cause) = (ExecutionStatus.TimedOut, StatesErrors.Timeout, $"the execution ran longer than {definition.TimeoutSeconds} s");
            run.Record("ExecutionTimedOut", null, new JsonObject { ["error"] = error, ["cause"] = cause });
        }
        return new ExecutionResult(arn, name, status, input, output, error, cause, run.Started, _options.Time.GetUtcNow(), run.History);
    }

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

    private sealed class Run(StateMachineExecutor owner, string arn, string name, JsonNode? input, Action<HistoryEvent>? observer)
    {
        private readonly List<HistoryEvent> _history = [];
        private readonly ExecutorOptions _options = owner._options;

        public DateTimeOffset Started { get; } = owner._options.Time.GetUtcNow();
        public IReadOnlyList<HistoryEvent> History { get { lock (_history) return [.. _history]; } }
        public IReadOnlyDictionary<string, string>? Mocks { get; set; }

        public void Record(string type, string? state, JsonObject details)
        {
            HistoryEvent e;
            lock (_history)
            {
                if (_history.Count >= Quotas.MaxHistoryEvents - 1
                    && type is not ("ExecutionSucceeded" or "ExecutionFailed" or "ExecutionTimedOut" or "ExecutionAborted"))
                    throw Quotas.HistoryFull();
                e = new HistoryEvent(_history.Count + 1, _history.Count, _options.Time.GetUtcNow(), type, state, details);
                _history.Add(e);
            }
            observer?.Invoke(e);
        }

        public async Task<JsonNode?> ExecuteAsync(StateMachineDefinition machine, JsonNode? data, CancellationToken ct)
        {
            var current = machine.States[machine.StartAt];
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var (output, next) = await StateAsync(current, data, ct);
                if (next is null) return output;
                data = output;
                current = machine.States[next];
            }
        }

        private async Task<(JsonNode? Output, string? Next)> StateAsync(StateDefinition state, JsonNode? raw, CancellationToken ct)
        {
            var entered = _options.Time.GetUtcNow();
            Record($"{state.Type}StateEntered", state.Name, new JsonObject { ["name"] = state.Name, ["input"] = Json(raw) });
            var where = $"state '{state.Name}'";
            var effective = state.DiscardInput ? new JsonObject() : state.InputPath is { } ip ? ip.Select(raw, StatesErrors.Runtime, where)
                : raw?.DeepClone();
            switch (state.Type)
            {
                case "Fail":
                    var error = state.Error ?? Evaluate(state.ErrorPath, raw, Context(state, entered, 0), where);
                    var cause = state.Cause ?? Evaluate(state.CausePath, raw, Context(state, entered, 0), where);
                    throw new StatesException(error ?? "States.Fail", cause ?? "");
                case "Choice":
                    var rule = state.Choices.FirstOrDefault(r => r.Matches(effective, Context(state, entered, 0), where));
                    var target = rule?.Next ?? state.Default
                        ?? throw new StatesException(StatesErrors.NoChoiceMatched, $"{where}: no Choice rule matched and there is no Default");
                    return (Exit(state, Output(state, effective, where)), target);
                case "Succeed":
                    return (Exit(state, Output(state, effective, where)), null);
                case "Wait":
                    await _options.Delay(WaitTime(state, effective, where), ct);
                    return (Exit(state, Output(state, effective, where)), state.End ? null : state.Next);
                case "Pass":
                    var passResult = state.Parameters?.Evaluate(effective, Context(state, entered, 0), where) ?? state.Result?.DeepClone()
                    ?? effective;
                    return (Exit(state, Output(state, Place(state, raw, passResult, where), where)), state.End ? null : state.Next);
                default:
                    return await WorkAsync(state, raw, effective, entered, where, ct);
            }
        }

        /// <summary>Task and Parallel: Parameters, the work with Retry, then Catch or ResultSelector/ResultPath/OutputPath.</summary>
        private async Task<(JsonNode?, string?)> WorkAsync(StateDefinition state, JsonNode? raw, JsonNode? effective, DateTimeOffset entered,
            string where, CancellationToken ct)
        {
            var attempts = new int[state.Retry.Count];
            for (var attempt = 0; ; attempt++)
            {
                var callback = state.WaitsForTaskToken ? _options.TaskTokens.Issue(arn, state.Name) : null;
                try
                {
                    var parameters = state.Parameters?.Evaluate(effective, Context(state, entered, attempt, callback?.Token), where) ?? effective;
                    if (state.Parameters is not null && Quotas.Utf8Size(parameters) is var parameterBytes and > Quotas.MaxPayloadBytes)
                        throw Quotas.InputTooLarge($"The input of state/task '{state.Name}' after Parameters", parameterBytes);
                    var result = state.Type == "Parallel" ? await BranchesAsync(state, parameters, ct) : await TaskAsync(state, parameters, effective,
                        attempt, callback, where, ct);
                    if (state.ResultSelector is not null) result = state.ResultSelector.Evaluate(result, Context(state, entered, attempt), where);
                    return (Exit(state, Output(state, Place(state, raw, result, where), where)), state.End ? null : state.Next);
                }
                catch (StatesException e) when (!e.Terminal)
                {
                    var retrier = state.Retry.Select((r, i) => (r, i)).FirstOrDefault(x => Matches(x.r.ErrorEquals, e.Error));
                    if (retrier.r is { } r && attempts[retrier.i] < r.MaxAttempts)
                    {
                        var delay = r.IntervalSeconds * Math.Pow(r.BackoffRate, attempts[retrier.i]);
                        if (r.MaxDelaySeconds is { } max) delay = Math.Min(delay, max);
                        attempts[retrier.i]++;
                        await _options.Delay(TimeSpan.FromSeconds(delay), ct);
                        continue;
                    }
                    var catcher = state.Catch.FirstOrDefault(c => Matches(c.ErrorEquals, e.Error));
                    if (catcher is null) throw;
                    var errorOutput = new JsonObject { ["Error"] = e.Error, ["Cause"] = e.Cause };
                    var caught = catcher.DiscardResult ? raw?.DeepClone() : catcher.ResultPath is { } path ? path.Place(raw, errorOutput, where)
                        : errorOutput;
                    return (Exit(state, caught), catcher.Next);
                }
                finally
                {
                    callback?.Close();
                }
            }
        }

        private async Task<JsonNode?> TaskAsync(StateDefinition state, JsonNode? parameters, JsonNode? effective, int attempt, PendingTask? callback,
            string where, CancellationToken ct)
        {
            var lambda = state.Resource!.StartsWith("arn:aws:lambda:", StringComparison.Ordinal);
            var prefix = lambda ? "LambdaFunction" : "Task";
            var timeoutSeconds = Seconds(state.TimeoutSeconds, state.TimeoutSecondsPath, effective, "TimeoutSecondsPath", where);
            var heartbeatSeconds = Seconds(state.HeartbeatSeconds, state.HeartbeatSecondsPath, effective, "HeartbeatSecondsPath", where);
            var integration = ServiceIntegration.Parse(state.Resource);
            Record($"{prefix}Scheduled", state.Name, lambda || integration is null
                ? new JsonObject { ["resource"] = state.Resource, ["input"] = Json(parameters), ["timeoutInSeconds"] = timeoutSeconds }
                : new JsonObject
                {
                    ["resourceType"] = integration.Service, ["resource"] = integration.Action, ["region"] = _options.Region,
                    ["parameters"] = Json(parameters),
                    ["timeoutInSeconds"] = timeoutSeconds, ["heartbeatInSeconds"] = heartbeatSeconds,
                });
            Record($"{prefix}Started", state.Name, integration is null ? []
                : new JsonObject { ["resourceType"] = integration.Service, ["resource"] = integration.Action });
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (timeoutSeconds is { } seconds) timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
            try
            {
                JsonNode? result;
                string? response = null;
                var mocked = Mocks?.TryGetValue(state.Name, out response) == true;
                if (mocked) result = _options.Mocks!.Respond(response!, attempt, lambda);
                else
                {
                    var lambdaInvoke = integration?.IsLambdaInvoke == true;
                    var invoked = lambdaInvoke
                        ? await owner._invoker.InvokeAsync(LambdaFunction(parameters, where), parameters!["Payload"]?.DeepClone(),
                            new TaskContext(arn, state.Name, attempt), timeout.Token)
                        : await owner._invoker.InvokeAsync(state.Resource, parameters, new TaskContext(arn, state.Name, attempt), timeout.Token);
                    // An invoked function's answer has to pass Lambda's own quota; a mocked response is what Lambda answered.
                    if ((lambda || lambdaInvoke) && Quotas.Utf8Size(invoked) > Quotas.MaxLambdaResponseBytes) throw Quotas.LambdaResponseOverQuota();
                    result = lambdaInvoke ? LambdaInvokeResponse(invoked) : invoked;
                    if (callback is not null)
                    {
                        Record("TaskSubmitted", state.Name,
                            new JsonObject { ["resourceType"] = integration!.Service, ["resource"] = integration.Action, ["output"] = Json(result) });
                        result = await CallbackAsync(callback, heartbeatSeconds, timeout.Token);
                    }
                }
                if (Quotas.Utf8Size(result) > Quotas.MaxPayloadBytes) throw Quotas.ResultTooLarge(state.Resource);
                Record($"{prefix}Succeeded", state.Name, integration is null || lambda
                    ? new JsonObject { ["output"] = Json(result) }
                    : new JsonObject { ["resourceType"] = integration.Service, ["resource"] = integration.Action, ["output"] = Json(result) });
                return result;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                Record($"{prefix}TimedOut", state.Name,
                    new JsonObject { ["error"] = StatesErrors.Timeout, ["cause"] = $"the task ran longer than {timeoutSeconds} s" });
                throw new StatesException(StatesErrors.Timeout, $"state '{state.Name}' ran longer than {timeoutSeconds} s");
            }
            catch (StatesException e) when (e.Error == StatesErrors.HeartbeatTimeout)
            {
                Record($"{prefix}TimedOut", state.Name, new JsonObject { ["error"] = e.Error, ["cause"] = e.Cause });
                throw;
            }
            catch (StatesException e) when (!e.Terminal)
            {
                Record($"{prefix}Failed", state.Name, new JsonObject { ["error"] = e.Error, ["cause"] = e.Cause });
                throw;
            }
        }

        /// <summary>Waits for SendTaskSuccess / SendTaskFailure; HeartbeatSeconds without a SendTaskHeartbeat is States.HeartbeatTimeout.</summary>
        private static async Task<JsonNode?> CallbackAsync(PendingTask callback, int? heartbeatSeconds, CancellationToken timeout)
        {
            using var heartbeat = new CancellationTokenSource();
            if (heartbeatSeconds is { } beat)
            {
                heartbeat.CancelAfter(TimeSpan.FromSeconds(beat));
                callback.OnHeartbeat(() => heartbeat.CancelAfter(TimeSpan.FromSeconds(beat)));
            }
            using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout, heartbeat.Token);
            TaskCallback outcome;
            try
            {
                outcome = await callback.Callback.WaitAsync(either.Token);
            }
            catch (OperationCanceledException)
            {
                callback.Close();
                // A callback that settled the task just before the close still counts, as it would in AWS.
                if (!callback.Callback.IsCompletedSuccessfully)
                {
                    if (heartbeat.IsCancellationRequested && !timeout.IsCancellationRequested)
                        throw new StatesException(StatesErrors.HeartbeatTimeout, $"no heartbeat within {heartbeatSeconds} s");
                    throw;
                }
                outcome = callback.Callback.Result;
            }
            finally
            {
                callback.Close();
            }
            return outcome.Succeeded ? outcome.Output : throw new TaskFailedException(outcome.Error!, outcome.Cause ?? "");
        }

        /// <summary>lambda:invoke hands the function the Payload and returns Lambda's Invoke response around its result.</summary>
        private static JsonObject LambdaInvokeResponse(JsonNode? payload) => new()
        {
            ["ExecutedVersion"] = "$LATEST", ["Payload"] = payload, ["StatusCode"] = 200,
        };

        private static string LambdaFunction(JsonNode? parameters, string where) =>
            parameters?["FunctionName"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
                : throw new StatesException(StatesErrors.Runtime, $"{where}: lambda:invoke needs Parameters.FunctionName");

        private static int? Seconds(int? fixedSeconds, ReferencePath? path, JsonNode? input, string field, string where)
        {
            if (path is null) return fixedSeconds;
            return path.Select(input, StatesErrors.Runtime, where) is JsonValue v && v.GetValueKind() == JsonValueKind.Number
                && v.TryGetValue<int>(out var n) && n > 0
                ? n
                : throw new StatesException(StatesErrors.Runtime, $"{where}: {field} '{path.Text}' must name a positive integer");
        }

        private async Task<JsonNode?> BranchesAsync(StateDefinition state, JsonNode? input, CancellationToken ct)
        {
            Record("ParallelStateStarted", state.Name, []);
            try
            {
                var results = await Task.WhenAll(state.Branches.Select(b => ExecuteAsync(b, input?.DeepClone(), ct)));
                Record("ParallelStateSucceeded", state.Name, []);
                return new JsonArray([.. results]);
            }
            catch (StatesException e)
            {
                Record("ParallelStateFailed", state.Name, new JsonObject { ["error"] = e.Error, ["cause"] = e.Cause });
                throw;
            }
        }

        private JsonNode? Exit(StateDefinition state, JsonNode? output)
        {
            if (Quotas.Utf8Size(output) > Quotas.MaxPayloadBytes) throw Quotas.OutputTooLarge(state.Name);
            if (state.Type != "Fail")
                Record($"{state.Type}StateExited", state.Name, new JsonObject { ["name"] = state.Name, ["output"] = Json(output) });
            return output;
        }

        private static JsonNode? Place(StateDefinition state, JsonNode? raw, JsonNode? result, string where) =>
            state.DiscardResult ? raw?.DeepClone() : state.ResultPath is { } path ? path.Place(raw, result, where) : result;

        private static JsonNode? Output(StateDefinition state, JsonNode? data, string where) =>
            state.DiscardOutput ? new JsonObject() : state.OutputPath is { } path ? path.Select(data, StatesErrors.Runtime, where) : data;

        // States.Timeout also matches a heartbeat timeout, as it did before AWS named States.HeartbeatTimeout.
        private static bool Matches(IReadOnlyList<string> errorEquals, string error) => errorEquals.Any(e =>
            e == error || e == StatesErrors.All || e == StatesErrors.Timeout && error == StatesErrors.HeartbeatTimeout
            || e == StatesErrors.TaskFailed && error is not (StatesErrors.Timeout or StatesErrors.HeartbeatTimeout));

        private TimeSpan WaitTime(StateDefinition state, JsonNode? input, string where)
        {
            if (state.Seconds is { } s) return TimeSpan.FromSeconds(s);
            if (state.SecondsPath is { } sp)
                return sp.Select(input, StatesErrors.Runtime, where) is JsonValue v && v.GetValueKind() == JsonValueKind.Number
                    && v.GetValue<double>() >= 0
                    ? TimeSpan.FromSeconds(v.GetValue<double>())
                    : throw new StatesException(StatesErrors.Runtime, $"{where}: SecondsPath must name a non-negative number");
            var text = state.Timestamp ?? (state.TimestampPath!.Select(input, StatesErrors.Runtime, where) as JsonValue)?.GetValue<string>();
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
                throw new StatesException(StatesErrors.Runtime, $"{where}: '{text}' is not a timestamp");
            var wait = at - _options.Time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        private static string? Evaluate(object? expression, JsonNode? input, JsonNode? context, string where) => expression switch
        {
            ReferencePath p => p.Select(p.IsContext ? context : input, StatesErrors.Runtime, where) is JsonValue v
                && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>() : throw new StatesException(StatesErrors.Runtime, $"{where}: the path '{p.Text}' does not name a string"),
            Intrinsic i => i.Evaluate(input, context, where)?.GetValue<string>(),
            _ => null,
        };

        private JsonObject Context(StateDefinition state, DateTimeOffset entered, int retryCount, string? taskToken = null)
        {
            var context = new JsonObject
            {
                ["Execution"] = new JsonObject
                {
                    ["Id"] = arn, ["Name"] = name, ["Input"] = input?.DeepClone(), ["StartTime"] = Started.ToString("yyyy-MM-ddTHH:mm:ss.fffZ",
                        CultureInfo.InvariantCulture),
                    ["RoleArn"] = _options.RoleArn,
                },
                ["StateMachine"] = new JsonObject { ["Id"] = _options.StateMachineArn, ["Name"] = _options.StateMachineName },
                ["State"] =
                    new JsonObject
                    {
                        ["Name"] = state.Name,
                        ["EnteredTime"] = entered.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                        ["RetryCount"] = retryCount
                    },
            };
            if (taskToken is not null) context["Task"] = new JsonObject { ["Token"] = taskToken };
            return context;
        }
    }
}
