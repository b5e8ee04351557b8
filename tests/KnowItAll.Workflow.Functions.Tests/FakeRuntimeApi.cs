using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KnowItAll.Workflow.Functions.Tests;

/// <summary>The Lambda Runtime API, served over real HTTP on 127.0.0.1: hands out queued events, records the answers.</summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Id, string Body, long? DeadlineMs)> _events = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly Task _serving;
    private readonly CancellationTokenSource _stop = new();

    public FakeRuntimeApi()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public ConcurrentDictionary<string, string> Responses { get; } = new();

    public ConcurrentDictionary<string, (string Type, string Body)> Errors { get; } = new();

    public TaskCompletionSource<(string Type, string Body)> InitError { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FirstNext { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Enqueue(string body, TimeSpan? deadlineIn = null)
    {
        var id = Guid.NewGuid().ToString();
        _events.Enqueue((id, body, deadlineIn is { } d ? DateTimeOffset.UtcNow.Add(d).ToUnixTimeMilliseconds() : DateTimeOffset.UtcNow.AddMinutes(5)
            .ToUnixTimeMilliseconds()));
        _available.Release();
        return id;
    }

    public async Task<bool> WaitForAnswerAsync(string id, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Responses.ContainsKey(id) || Errors.ContainsKey(id)) return true;
            await Task.Delay(20);
        }
        return false;
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
        var path = context.Request.Url!.AbsolutePath;
        var body = await new StreamReader(context.Request.InputStream, Encoding.UTF8).ReadToEndAsync();
        try
        {
            if (path == "/2018-06-01/runtime/invocation/next")
            {
                FirstNext.TrySetResult();
                await _available.WaitAsync(_stop.Token);
                _events.TryDequeue(out var next);
                context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.Id;
                context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = next.DeadlineMs.ToString();
                context.Response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";
                context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:knowitall-test";
                await Write(context, 200, next.Body);
                return;
            }
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts is [_, "runtime", "invocation", var id, "response"]) Responses[id] = body;
            else if (parts is [_, "runtime", "invocation", var failed, "error"])
                Errors[failed] = (context.Request.Headers["Lambda-Runtime-Function-Error-Type"] ?? "", body);
            else if (parts is [_, "runtime", "init", "error"])
                InitError.TrySetResult((context.Request.Headers["Lambda-Runtime-Function-Error-Type"] ?? "", body));
            else
            {
                await Write(context, 404, "{}");
                return;
            }
            await Write(context, 202, "{\"status\":\"OK\"}");
        }
        catch (OperationCanceledException)
        {
            context.Response.Abort();
        }
    }

    private static async Task Write(HttpListenerContext context, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try { await _serving; } catch (ObjectDisposedException) { }
    }
}
