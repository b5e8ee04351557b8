using System.Text;
using System.Text.Json;

namespace KnowItAll.Workflow.Functions.Telemetry;

/// <summary>One JSON object per line with the request and trace ids, so CloudWatch Logs Insights can filter on them.</summary>
public sealed class JsonLog(TextWriter output, string function)
{
    public void Write(string level, string message, InvocationContext? context = null, string? errorType = null, long? durationMs = null)
    {
        using var buffer = new MemoryStream();
        using (var json =
            new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("O"));
            json.WriteString("level", level);
            json.WriteString("function", function);
            json.WriteString("message", message);
            if (context is not null)
            {
                json.WriteString("request_id", context.RequestId);
                if (context.TraceId is not null) json.WriteString("trace_id", context.TraceId);
                if (context.ExecutionId is not null) json.WriteString("execution_id", context.ExecutionId);
            }
            if (errorType is not null) json.WriteString("error_type", errorType);
            if (durationMs is not null) json.WriteNumber("duration_ms", durationMs.Value);
            json.WriteEndObject();
        }
        lock (output) output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
