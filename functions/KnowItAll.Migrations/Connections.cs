using System.Net.Sockets;
using Npgsql;

namespace KnowItAll.Migrations;

/// <summary>Opening connections and naming database failures; no message here ever carries the connection string.</summary>
public static class Connections
{
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (Unavailable(e) is { } error)
        {
            throw error;
        }
    }

    /// <summary>The named error for a failure to reach or log in to the database, or null when it is something else.</summary>
    public static MigrationException? Unavailable(Exception e) => e switch
    {
        MigrationException => null,
        PostgresException { SqlState: "28P01" or "28000" } pg => new MigrationException(MigrationErrors.DatabaseUnavailable,
            $"the database refused the login: {pg.MessageText}", e),
        PostgresException { SqlState: "3D000" } pg => new MigrationException(MigrationErrors.DatabaseUnavailable, pg.MessageText, e),
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" } pg => new MigrationException(MigrationErrors.DatabaseUnavailable,
            $"the database connection was terminated: {pg.MessageText}", e),
        PostgresException => null,
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } or NpgsqlException { IsTransient: true } =>
            new MigrationException(MigrationErrors.DatabaseUnavailable, $"cannot reach the database: {Describe(e)}", e),
        NpgsqlException => new MigrationException(MigrationErrors.DatabaseUnavailable, $"database connection failed: {Describe(e)}", e),
        SocketException or TimeoutException => new MigrationException(MigrationErrors.DatabaseUnavailable, $"cannot reach the database: {e.Message}", e),
        _ => null,
    };

    private static string Describe(Exception e) => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
}
