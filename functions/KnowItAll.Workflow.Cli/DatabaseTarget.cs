using KnowItAll.Migrations.Embedded;
using Npgsql;

namespace KnowItAll.Workflow.Cli;

/// <summary>
/// Where the CLI connects: --connection, else KNOWITALL_DB_CONNECTION, else the standard PG* variables, else a
/// throwaway embedded PostgreSQL that lives as long as the command.
/// </summary>
public sealed class DatabaseTarget : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;

    private DatabaseTarget(string connectionString, string source, EmbeddedPostgres? embedded)
    {
        ConnectionString = connectionString;
        Source = source;
        _embedded = embedded;
    }

    public string ConnectionString { get; }

    /// <summary>Where the connection came from, safe to print.</summary>
    public string Source { get; }

    public bool IsEmbedded => _embedded is not null;

    public string? Password => new NpgsqlConnectionStringBuilder(ConnectionString).Password;

    public static async Task<DatabaseTarget> ResolveAsync(string? connectionOption, TextWriter log, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(connectionOption)) return new DatabaseTarget(Check(connectionOption, "--connection"), "--connection", null);
        var fromEnvironment = Environment.GetEnvironmentVariable("KNOWITALL_DB_CONNECTION");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return new DatabaseTarget(Check(fromEnvironment, "KNOWITALL_DB_CONNECTION"), "KNOWITALL_DB_CONNECTION", null);
        if (new[] { "PGHOST", "PGDATABASE", "PGUSER", "PGSERVICE" }.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))))
            return new DatabaseTarget(PgEnvironment(), "PG* environment variables", null);

        var embedded = await EmbeddedPostgres.StartAsync(cancellationToken);
        await log.WriteLineAsync(
            "No database configured (--connection, KNOWITALL_DB_CONNECTION or PG* variables): started a throwaway PostgreSQL on " +
            $"127.0.0.1:{embedded.Port}; it is removed when this command ends.");
        return new DatabaseTarget(embedded.ConnectionString(), "embedded throwaway PostgreSQL", embedded);
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null) await _embedded.DisposeAsync();
    }

    private static string Check(string connectionString, string origin)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrEmpty(builder.Host) && Environment.GetEnvironmentVariable("PGHOST") is null)
                throw new KnowItAll.Migrations.MigrationException(KnowItAll.Migrations.MigrationErrors.InvalidInput,
                    $"{origin}: the connection string names no Host");
            return builder.ConnectionString;
        }
        catch (ArgumentException e)
        {
            // The message of a parse failure can quote the string; only the key it complains about is kept.
            throw new KnowItAll.Migrations.MigrationException(KnowItAll.Migrations.MigrationErrors.InvalidInput,
                $"{origin} is not a valid PostgreSQL connection string ({FirstWords(e.Message)})");
        }
    }

    private static string FirstWords(string message) => message.Split(['\'', '"'], 2)[0].Trim().TrimEnd(':', '.');

    private static string PgEnvironment()
    {
        var builder = new NpgsqlConnectionStringBuilder();
        if (Environment.GetEnvironmentVariable("PGHOST") is { Length: > 0 } host) builder.Host = host;
        if (int.TryParse(Environment.GetEnvironmentVariable("PGPORT"), out var port)) builder.Port = port;
        if (Environment.GetEnvironmentVariable("PGUSER") is { Length: > 0 } user) builder.Username = user;
        if (Environment.GetEnvironmentVariable("PGPASSWORD") is { Length: > 0 } password) builder.Password = password;
        if (Environment.GetEnvironmentVariable("PGDATABASE") is { Length: > 0 } database) builder.Database = database;
        if (Environment.GetEnvironmentVariable("PGSSLMODE") is { Length: > 0 } ssl
            && Enum.TryParse<SslMode>(ssl.Replace("-", ""), true, out var mode)) builder.SslMode = mode;
        return builder.ConnectionString;
    }
}
