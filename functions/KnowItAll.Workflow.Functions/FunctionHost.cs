using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations;
using KnowItAll.Workflow.Functions.Handlers;
using KnowItAll.Workflow.Functions.Telemetry;

namespace KnowItAll.Workflow.Functions;

/// <summary>
/// Runs one function's handler for an event: the path the bootstrap's Runtime API loop and the local state
/// machine executor share. It decodes the event, stops before the deadline, names every error, logs and
/// records metrics. It holds no migration logic.
/// </summary>
public sealed class FunctionHost
{
    /// <summary>Time kept back before the Lambda deadline so a cancelled transaction can roll back and the error be reported.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(3);

    /// <summary>Step Functions passes at most 256 KiB between states; anything larger is not an event of this workflow.</summary>
    public const int MaxEventBytes = KnowItAll.StateMachine.Quotas.MaxPayloadBytes;

    private readonly Dictionary<string, IFunctionHandler> _handlers;
    private readonly FunctionServices _services;
    private readonly TextWriter _output;
    private readonly TimeProvider _time;

    public FunctionHost(FunctionServices services, TextWriter output, TimeProvider? time = null)
    {
        _handlers = FunctionCatalog.All.ToDictionary(d => d.Name, d => d.Handler(), StringComparer.Ordinal);
        _services = services;
        _output = output;
        _time = time ?? TimeProvider.System;
    }

    public FunctionServices Services => _services;

    public bool Has(string functionName) => _handlers.ContainsKey(functionName);

    public async Task<InvocationOutcome> InvokeAsync(string functionName, string eventJson, InvocationContext context,
        CancellationToken cancellationToken = default)
    {
        var log = new JsonLog(_output, functionName);
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (context.Deadline is { } at) deadline.CancelAfter(Remaining(at));
        _services.Metrics = new MetricsRecorder(_services.Environment, _output);
        log.Write("INFO", "invocation started", context);
        var outcome = await RunAsync(functionName, eventJson, deadline.Token, cancellationToken);
        var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (outcome.Succeeded)
        {
            log.Write("INFO", "invocation succeeded", context, durationMs: elapsed);
        }
        else
        {
            log.Write("ERROR", outcome.ErrorMessage!, context, outcome.ErrorType, elapsed);
            var metrics = new List<(string, double, string)>();
            if (outcome.ErrorType == MigrationErrors.DatabaseUnavailable) metrics.Add((MetricNames.DatabaseConnectionErrors, 1, "Count"));
            if (functionName == "Apply")
                metrics.AddRange([(MetricNames.MigrationFailure, 1, "Count"), (MetricNames.MigrationDuration, elapsed, "Milliseconds")]);
            _services.Metrics.Record(metrics);
        }
        return outcome;
    }

    private async Task<InvocationOutcome> RunAsync(string functionName, string eventJson, CancellationToken deadline, CancellationToken caller)
    {
        if (!_handlers.TryGetValue(functionName, out var handler))
            return InvocationOutcome.Failure(MigrationErrors.InvalidInput,
                $"unknown function '{functionName}'; known: {string.Join(", ", _handlers.Keys)}");
        var size = System.Text.Encoding.UTF8.GetByteCount(eventJson);
        if (size > MaxEventBytes)
            return InvocationOutcome.Failure(MigrationErrors.InvalidInput,
                $"the event is {size:N0} bytes; the limit is {MaxEventBytes:N0} (Step Functions' payload size)");
        try
        {
            var input = JsonNode.Parse(eventJson.Length == 0 ? "{}" : eventJson) switch
            {
                JsonObject o => o,
                null => [],
                var other => throw new MigrationException(MigrationErrors.InvalidInput,
                    $"the event must be a JSON object, not {other.GetValueKind().ToString().ToLowerInvariant()}"),
            };
            var output = await handler.HandleAsync(input, _services, deadline);
            return InvocationOutcome.Success(output.ToJsonString());
        }
        catch (MigrationException e)
        {
            return InvocationOutcome.Failure(e.ErrorName, e.Message);
        }
        catch (JsonException e)
        {
            return InvocationOutcome.Failure(MigrationErrors.InvalidInput, $"the event is not valid JSON: {e.Message}");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !caller.IsCancellationRequested)
        {
            return InvocationOutcome.Failure(MigrationErrors.Timeout,
                $"stopped {DeadlineMargin.TotalSeconds:0} s before the function's deadline; any open transaction was rolled back. Raise the " +
                "function timeout or retry.");
        }
        catch (Exception e) when (e is not OperationCanceledException && Connections.Unavailable(e) is { } unavailable)
        {
            return InvocationOutcome.Failure(unavailable.ErrorName, unavailable.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return InvocationOutcome.Failure(MigrationErrors.InternalError, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private TimeSpan Remaining(DateTimeOffset deadline)
    {
        var left = deadline - _time.GetUtcNow() - DeadlineMargin;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
