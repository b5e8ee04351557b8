using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace KnowItAll.Workflow.Functions.Runtime;

/// <summary>One invocation as the Runtime API hands it over.</summary>
public sealed record Invocation(string RequestId, string EventJson, InvocationContext Context);

/// <summary>The Lambda Runtime API (2018-06-01) over plain HTTP: next invocation, response, invocation error, init error.</summary>
public sealed class RuntimeApiClient(HttpClient http, string runtimeApi)
{
    private readonly string _base = $"http://{runtimeApi}/2018-06-01/runtime";

    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"{_base}/invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new InvalidOperationException("the Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id");
        DateTimeOffset? deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        var trace = Header(response, "Lambda-Runtime-Trace-Id");
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new Invocation(requestId, body,
            new InvocationContext(requestId, deadline, trace, Header(response, "Lambda-Runtime-Invoked-Function-Arn")));
    }

    public async Task RespondAsync(string requestId, string json, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync($"{_base}/invocation/{requestId}/response", content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public Task FailAsync(string requestId, string errorType, string message, CancellationToken cancellationToken) =>
        PostErrorAsync($"{_base}/invocation/{requestId}/error", errorType, message, cancellationToken);

    public Task InitErrorAsync(string errorType, string message, CancellationToken cancellationToken) =>
        PostErrorAsync($"{_base}/init/error", errorType, message, cancellationToken);

    /// <summary>The error body Lambda and Step Functions expect; errorType is the name a Retry or Catch matches.</summary>
    public static string ErrorBody(string errorType, string message)
    {
        using var buffer = new MemoryStream();
        using (var json =
            new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("errorType", errorType);
            json.WriteString("errorMessage", message);
            json.WriteStartArray("stackTrace");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private async Task PostErrorAsync(string url, string errorType, string message, CancellationToken cancellationToken)
    {
        using var content = new StringContent(ErrorBody(errorType, message), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.Add("Lambda-Runtime-Function-Error-Type", errorType);
        using var response = await http.PostAsync(url, content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
