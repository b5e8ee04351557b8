using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Embedded;
using Npgsql;

namespace KnowItAll.Testing;

/// <summary>
/// One real PostgreSQL server for the whole test assembly: the throwaway embedded one, or the server named by
/// KNOWITALL_TEST_DB. Each test gets its own database on it. Missing PostgreSQL binaries fail the run.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private EmbeddedPostgres? _embedded;
    private string _adminConnection = "";
    private int _counter;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("KNOWITALL_TEST_DB");
        if (!string.IsNullOrEmpty(external))
        {
            _adminConnection = external;
            await ExecuteAsync(_adminConnection, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tutor_app') THEN CREATE ROLE tutor_app LOGIN; END IF; END $$");
            return;
        }
        _embedded = await EmbeddedPostgres.StartAsync();
        _adminConnection = _embedded.ConnectionString("postgres");
    }

    public async Task DisposeAsync()
    {
        if (_embedded is not null) await _embedded.DisposeAsync();
    }

    public string Password => new NpgsqlConnectionStringBuilder(_adminConnection).Password ?? "";

    public string AdminConnectionString => _adminConnection;

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        // A short process id makes the text shorter than 40 characters; cut only what is longer.
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}_{Guid.NewGuid():N}";
        name = name[..Math.Min(name.Length, 40)];
        await ExecuteAsync(_adminConnection, $"CREATE DATABASE {name}");
        // Unpooled: a test run makes many databases, and idle pooled connections to each would exhaust the server.
        return new NpgsqlConnectionStringBuilder(_adminConnection) { Database = name, Pooling = false }.ConnectionString;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The live model of a database's public schema.</summary>
    public static async Task<KnowItAll.Migrations.Model.SchemaModel> ReadLiveAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await KnowItAll.Migrations.Catalog.CatalogReader.ReadAsync(connection, "public", TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }
}

/// <summary>Locates the repository and its schema/ directory from the test binaries.</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    public static string SchemaDirectory => Path.Combine(Root, "schema");

    public static SchemaSource TutorSchema() => SchemaSource.FromDirectory(SchemaDirectory);

    /// <summary>The tutor schema's files, to be changed by a test before building a source from them.</summary>
    public static List<SchemaFile> TutorFiles() => TutorSchema().Files.ToList();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KnowItAll.Workflow.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("KnowItAll.Workflow.sln not found above " + AppContext.BaseDirectory);
    }
}

public static class Engines
{
    public static MigrationEngine For(string connectionString, SchemaSource source, MigrationOptions? options = null) =>
        new(KnowItAll.Migrations.Connections.CreateDataSource(connectionString), source, options ?? new MigrationOptions { RunBy = "tests" });
}
