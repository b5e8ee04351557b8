namespace KnowItAll.Workflow.Functions;

/// <summary>With no topic configured, the message is written where a person running locally sees it.</summary>
public sealed class StdoutPublisher(TextWriter output) : INotificationPublisher
{
    public Task<string?> PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        lock (output)
        {
            output.WriteLine($"--- notification: {notification.Subject}");
            output.WriteLine(string.Join(" ", notification.Attributes.Select(a => $"{a.Key}={a.Value}")));
            output.Write(notification.Body);
            output.WriteLine("--- end of notification");
        }
        return Task.FromResult<string?>(null);
    }
}
