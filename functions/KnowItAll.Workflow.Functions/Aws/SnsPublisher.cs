using System.Net;
using System.Xml.Linq;
using KnowItAll.Migrations;

namespace KnowItAll.Workflow.Functions.Aws;

/// <summary>SNS Publish (query protocol), signed with SigV4, with message attributes subscribers can filter on.</summary>
public sealed class SnsPublisher(HttpClient http, AwsRequestSigner signer, FunctionEnvironment environment, string topicArn) : INotificationPublisher
{
    public async Task<string?> PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("Action", "Publish"),
            new("Version", "2010-03-31"),
            new("TopicArn", topicArn),
            new("Subject", notification.Subject),
            new("Message", notification.Body),
        };
        var entry = 1;
        foreach (var (name, value) in notification.Attributes)
        {
            form.Add(new($"MessageAttributes.entry.{entry}.Name", name));
            form.Add(new($"MessageAttributes.entry.{entry}.Value.DataType", "String"));
            form.Add(new($"MessageAttributes.entry.{entry}.Value.StringValue", value));
            entry++;
        }
        var body =
            System.Text.Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, AwsEndpoints.For("sns", environment)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType =
            new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        await signer.SignAsync(request, body, "sns", environment.Region, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new MigrationException("Notify.PublishFailed", $"SNS Publish to {topicArn} failed: {(int)response.StatusCode} {Truncate(text)}");
        return XDocument.Parse(text).Descendants().FirstOrDefault(e => e.Name.LocalName == "MessageId")?.Value;
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] : text;
}
