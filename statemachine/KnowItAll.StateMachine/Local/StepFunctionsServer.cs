using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KnowItAll.StateMachine.Local;

/// <summary>A state machine the local endpoint serves: its definition and what runs its tasks.</summary>
public sealed record ServedStateMachine(string Name, string DefinitionJson, StateMachineDefinition Definition, ITaskInvoker Invoker,
    ExecutorOptions Options)
{
    public string Arn => Options.StateMachineArn;
}

/// <summary>
/// The Step Functions API (AWS JSON 1.0, <c>X-Amz-Target: AWSStepFunctions.Operation</c>) on 127.0.0.1, running
/// executions with the local executor in the background. Errors have AWS's shapes and names; a bad request never
/// stops the server.
/// </summary>
public sealed partial class StepFunctionsServer : IAsyncDisposable
{
    public const int MaxInputBytes = Quotas.MaxPayloadBytes;
    private const int MaxRequestBytes = 1024 * 1024;

    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, ServedStateMachine> _machines;
    private readonly Dictionary<string, LocalExecution> _executions = new(StringComparer.Ordinal);
    private readonly List<Task> _running = [];
    private readonly TaskTokens _tokens = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTimeOffset _created = DateTimeOffset.UtcNow;
    private Task? _serving;

    public StepFunctionsServer(IEnumerable<ServedStateMachine> machines, int port)
    {
        _machines = machines.ToDictionary(m => m.Arn, StringComparer.Ordinal);
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public void Start()
    {
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        int status;
        JsonNode body;
        try
        {
            (status, body) = await DispatchAsync(context.Request);
        }
        catch (ApiError e)
        {
            (status, body) = (400, new JsonObject { ["__type"] = "com.amazonaws.swf.service.v2.model#" + e.Type, ["message"] = e.Message });
        }
        catch (Exception e)
        {
            (status, body) = (500, new JsonObject { ["__type"] = "com.amazonaws.swf.service.v2.model#InternalFailure", ["message"] = e.Message });
        }
        try
        {
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-amz-json-1.0";
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (HttpListenerException)
        {
            // The client went away; nothing to answer.
        }
    }

    private async Task<(int, JsonNode)> DispatchAsync(HttpListenerRequest request)
    {
        var target = request.Headers["X-Amz-Target"] ?? "";
        if (request.HttpMethod != "POST" || !target.StartsWith("AWSStepFunctions.", StringComparison.Ordinal))
            throw new ApiError("UnknownOperationException", $"unknown operation '{target}'");
        if (request.ContentLength64 > MaxRequestBytes)
            throw new ApiError("ValidationException", $"the request body is larger than {MaxRequestBytes} bytes");
        string text;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8)) text = await reader.ReadToEndAsync();
        JsonObject body;
        try
        {
            body = JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject
                ?? throw new ApiError("SerializationException", "the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new ApiError("SerializationException", $"the request body is not valid JSON: {e.Message}");
        }
        return (200, target["AWSStepFunctions.".Length..] switch
        {
            "StartExecution" => StartExecution(body),
            "DescribeExecution" => DescribeExecution(Execution(Required(body, "executionArn"))),
            "GetExecutionHistory" => History(body),
            "ListExecutions" => ListExecutions(body),
            "StopExecution" => StopExecution(body),
            "SendTaskSuccess" => Callback(() => _tokens.Succeed(Required(body, "taskToken"), Required(body, "output"))),
            "SendTaskFailure" => Callback(() => _tokens.Fail(Required(body, "taskToken"), Optional(body, "error"), Optional(body, "cause"))),
            "SendTaskHeartbeat" => Callback(() => _tokens.Heartbeat(Required(body, "taskToken"))),
            "DescribeStateMachine" => DescribeStateMachine(Required(body, "stateMachineArn")),
            "ListStateMachines" => new JsonObject
            {
                ["stateMachines"] = new JsonArray([.. _machines.Values.Select(m => (JsonNode)new JsonObject
                {
                    ["stateMachineArn"] = m.Arn, ["name"] = m.Name, ["type"] = "STANDARD", ["creationDate"] = LocalExecution.Epoch(_created),
                })]),
            },
            var other => throw new ApiError("UnknownOperationException", $"operation '{other}' is not served by the local endpoint"),
        });
    }

    private JsonObject StartExecution(JsonObject body)
    {
        var arn = Required(body, "stateMachineArn");
        if (!_machines.TryGetValue(arn, out var machine)) throw new ApiError("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{arn}'");
        var name = Optional(body, "name") ?? Guid.NewGuid().ToString();
        if (!ValidName().IsMatch(name))
            throw new ApiError("InvalidName", $"Invalid Name: '{name}' (1-80 characters, no spaces, wildcards, brackets or control characters)");
        var input = Optional(body, "input") ?? "{}";
        if (Encoding.UTF8.GetByteCount(input) > MaxInputBytes)
            throw new ApiError("ValidationException",
                "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to " +
                $"{MaxInputBytes}");
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(input);
        }
        catch (JsonException e)
        {
            throw new ApiError("InvalidExecutionInput", $"Invalid State Machine Execution Input: '{e.Message}'");
        }
        var executionArn = $"arn:aws:states:{machine.Options.Region}:{machine.Options.Account}:execution:{machine.Name}:{name}";
        lock (_executions)
        {
            if (_executions.TryGetValue(executionArn, out var existing))
            {
                // STANDARD workflows: the same name and input while it runs is the same execution; anything else is refused.
                if (existing.Status == ExecutionStatus.Running && existing.Input == input)
                    return new JsonObject { ["executionArn"] = existing.Arn, ["startDate"] = LocalExecution.Epoch(existing.Started) };
                throw new ApiError("ExecutionAlreadyExists", $"Execution Already Exists: '{executionArn}'");
            }
            var execution = new LocalExecution(executionArn, name, arn, input, DateTimeOffset.UtcNow);
            _executions[executionArn] = execution;
            var executor = new StateMachineExecutor(machine.Definition, machine.Invoker,
                machine.Options with { StateMachineName = machine.Name, TaskTokens = _tokens });
            _running.Add(Task.Run(async () => execution.Finish(await executor.RunAsync(parsed, name, execution.Add, execution.Stop.Token))));
            return new JsonObject { ["executionArn"] = executionArn, ["startDate"] = LocalExecution.Epoch(execution.Started) };
        }
    }

    /// <summary>SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat answer an empty object, or AWS's error for the token.</summary>
    private static JsonObject Callback(Action settle)
    {
        try
        {
            settle();
            return [];
        }
        catch (TaskTokenException e)
        {
            throw new ApiError(e.Type, e.Message);
        }
    }

    private static JsonObject DescribeExecution(LocalExecution execution)
    {
        var summary = execution.Summary();
        summary["input"] = execution.Input;
        if (execution.Result is { } result)
        {
            if (result.Output is not null) summary["output"] = result.Output.ToJsonString();
            if (result.Error is not null) summary["error"] = result.Error;
            if (result.Cause is not null) summary["cause"] = result.Cause;
        }
        return summary;
    }

    private JsonObject History(JsonObject body)
    {
        var execution = Execution(Required(body, "executionArn"));
        IEnumerable<HistoryEvent> events = execution.Events;
        if (body["reverseOrder"] is JsonValue r && r.GetValueKind() == JsonValueKind.True) events = events.Reverse();
        var skip = int.TryParse(Optional(body, "nextToken"), out var token) ? token : 0;
        var max = body["maxResults"] is JsonValue m && m.TryGetValue<int>(out var n) && n > 0 ? Math.Min(n, 1000) : 1000;
        var page = events.Skip(skip).Take(max).ToList();
        var result = new JsonObject { ["events"] = new JsonArray([.. page.Select(ToAws)]) };
        if (skip + page.Count < execution.Events.Count) result["nextToken"] = (skip + page.Count).ToString();
        return result;
    }

    /// <summary>AWS's event shape: id, previousEventId, timestamp and a details object named after the event type.</summary>
    private static JsonNode ToAws(HistoryEvent e)
    {
        var detailsKey = e.Type.EndsWith("StateEntered", StringComparison.Ordinal) ? "stateEnteredEventDetails"
            : e.Type.EndsWith("StateExited", StringComparison.Ordinal) ? "stateExitedEventDetails"
            : char.ToLowerInvariant(e.Type[0]) + e.Type[1..] + "EventDetails";
        var aws = new JsonObject
        {
            ["timestamp"] = LocalExecution.Epoch(e.Timestamp), ["type"] = e.Type, ["id"] = e.Id, ["previousEventId"] = e.PreviousEventId,
        };
        if (e.Details.Count > 0) aws[detailsKey] = e.Details.DeepClone();
        return aws;
    }

    private JsonObject ListExecutions(JsonObject body)
    {
        var arn = Required(body, "stateMachineArn");
        if (!_machines.ContainsKey(arn)) throw new ApiError("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{arn}'");
        var filter = Optional(body, "statusFilter");
        List<LocalExecution> executions;
        lock (_executions)
            executions = _executions.Values.Where(e => e.StateMachineArn == arn && (filter is null || e.Status == filter))
            .OrderByDescending(e => e.Started).ToList();
        return new JsonObject { ["executions"] = new JsonArray([.. executions.Select(e => (JsonNode)e.Summary())]) };
    }

    private JsonObject StopExecution(JsonObject body)
    {
        var execution = Execution(Required(body, "executionArn"));
        execution.Stop.Cancel();
        return new JsonObject { ["stopDate"] = LocalExecution.Epoch(DateTimeOffset.UtcNow) };
    }

    private JsonObject DescribeStateMachine(string arn)
    {
        if (!_machines.TryGetValue(arn, out var machine)) throw new ApiError("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{arn}'");
        return new JsonObject
        {
            ["stateMachineArn"] = arn, ["name"] = machine.Name, ["status"] = "ACTIVE", ["definition"] = machine.DefinitionJson,
            ["roleArn"] = machine.Options.RoleArn, ["type"] = "STANDARD", ["creationDate"] = LocalExecution.Epoch(_created),
        };
    }

    private LocalExecution Execution(string arn)
    {
        lock (_executions)
            return _executions.TryGetValue(arn, out var execution) ? execution : throw new ApiError("ExecutionDoesNotExist",
                $"Execution Does Not Exist: '{arn}'");
    }

    private static string Required(JsonObject body, string field) =>
        Optional(body, field)
        ?? throw new ApiError("ValidationException",
            $"1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null");

    private static string? Optional(JsonObject body, string field) => body[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new ApiError("SerializationException", $"'{field}' must be a string"),
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        lock (_executions) foreach (var e in _executions.Values) e.Stop.Cancel();
        _listener.Stop();
        _listener.Close();
        if (_serving is not null) await _serving;
        Task[] running;
        lock (_executions) running = [.. _running];
        await Task.WhenAll(running);
    }

    [GeneratedRegex(@"^[^\s<>{}\[\]?*""#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]{1,80}$")]
    private static partial Regex ValidName();

    private sealed class ApiError(string type, string message) : Exception(message)
    {
        public string Type { get; } = type;
    }
}
