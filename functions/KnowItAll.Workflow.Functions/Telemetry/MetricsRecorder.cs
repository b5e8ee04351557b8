using System.Text;
using System.Text.Json;

namespace KnowItAll.Workflow.Functions.Telemetry;

/// <summary>
/// CloudWatch metrics as Embedded Metric Format lines on stdout: CloudWatch Logs turns them into metrics, no SDK
/// call is made, and a metric line can never slow down or fail an invocation.
/// </summary>
public sealed class MetricsRecorder(FunctionEnvironment environment, TextWriter output)
{
    public void Record(IReadOnlyList<(string Name, double Value, string Unit)> metrics)
    {
        if (metrics.Count == 0) return;
        using var buffer = new MemoryStream();
        using (var json =
            new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", environment.MetricsNamespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue("Environment");
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var (name, _, unit) in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", name);
                json.WriteString("Unit", unit);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("Environment", environment.EnvironmentName);
            foreach (var (name, value, _) in metrics) json.WriteNumber(name, value);
            json.WriteEndObject();
        }
        lock (output) output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
