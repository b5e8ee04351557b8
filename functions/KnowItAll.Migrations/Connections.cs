using System.Net.Sockets;
using Npgsql;

namespace KnowItAll.Migrations;

/// <summary>Opening connections and naming database failures; no message here ever carries the connection string.</summary>
public static class Connections
{
    /// <summary>
    /// The data source every engine entry point uses. Npgsql cancels a command after 30 s by default, which cuts
    /// work that grows with the schema (loading 5,000 tables, applying 25,000 statements in one transaction) and
    /// reports it as a cancelled statement. The engine bounds its statements on the server instead (lock_timeout,
    /// statement_timeout) and the caller's deadline through the cancellation token, so the client-side limit is off
    /// unless the connection string sets one.
    /// The engine reads only built-in types (catalog names, text, numbers, text arrays), so Npgsql does not load the
    /// server's type catalog on the first connection (a round trip and tens of milliseconds of every cold process)
    /// unless the connection string asks for another compatibility mode.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Npgsql's builder knows every keyword; the plain one tells what this string actually sets.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!Sets(given, "CommandTimeout"))
            builder.CommandTimeout = 0;
        var source = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        if (!Sets(given, "ServerCompatibilityMode")) source.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        return source.Build();
    }

    private static bool Sets(System.Data.Common.DbConnectionStringBuilder given, string keyword) =>
        given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals(keyword, StringComparison.OrdinalIgnoreCase));

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
        SocketException or TimeoutException => new MigrationException(MigrationErrors.DatabaseUnavailable, $"cannot reach the database: {e.Message}",
            e),
        _ => null,
    };

    private static string Describe(Exception e) => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
}
