namespace KnowItAll.Workflow.Functions;

/// <summary>Where the database connection string comes from (a secret, or a plain setting for local runs).</summary>
public interface IDatabaseCredentials
{
    /// <summary>The connection string; <paramref name="refresh"/> asks for a fresh copy after a rejected login (rotation).</summary>
    Task<string> GetConnectionStringAsync(bool refresh, CancellationToken cancellationToken);
}

/// <summary>Where notifications go (SNS, or stdout when no topic is configured).</summary>
public interface INotificationPublisher
{
    /// <summary>Publishes and returns the message id, or null where the destination has none.</summary>
    Task<string?> PublishAsync(Notification notification, CancellationToken cancellationToken);
}

public sealed record Notification(string Subject, string Body, IReadOnlyDictionary<string, string> Attributes);

public sealed class StaticCredentials(string connectionString) : IDatabaseCredentials
{
    public Task<string> GetConnectionStringAsync(bool refresh, CancellationToken cancellationToken) => Task.FromResult(connectionString);
}
