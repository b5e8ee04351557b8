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
    // One server for the assembly, shared by the fixtures of every test collection (collections run in parallel):
    // started by the first fixture, stopped by the last one disposed.
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static EmbeddedPostgres? _embedded;
    private static string _shared = "";
    private static int _users;
    private static int _counter;
    private string _adminConnection = "";

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_users++ == 0)
            {
                var external = Environment.GetEnvironmentVariable("KNOWITALL_TEST_DB");
                if (!string.IsNullOrEmpty(external))
                {
                    _shared = external;
                    await ExecuteAsync(_shared,
                        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tutor_app') THEN CREATE ROLE tutor_app LOGIN; END IF; " +
                        "END $$");
                }
                else
                {
                    _embedded = await EmbeddedPostgres.StartAsync();
                    _shared = _embedded.ConnectionString("postgres");
                }
            }
            _adminConnection = _shared;
        }
        catch
        {
            _users--;
            throw;
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--_users > 0 || _embedded is null) return;
            await _embedded.DisposeAsync();
            _embedded = null;
        }
        finally
        {
            Gate.Release();
        }
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
        // Unpooled for the test's own connections (a pooled one would keep its session, a held advisory lock among it,
        // after it is closed); the engines a test makes on it pool theirs (EngineDataSource).
        var unpooled = new NpgsqlConnectionStringBuilder(_adminConnection) { Database = name, Pooling = false }.ConnectionString;
        Fresh.TryAdd(unpooled, name);
        return unpooled;
    }

    // The databases NewDatabaseAsync made, by connection string, and the engines' data sources on each.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Fresh = new(StringComparer.Ordinal);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string,
        System.Collections.Concurrent.ConcurrentBag<NpgsqlDataSource>> EngineSources =
        new(StringComparer.Ordinal);

    /// <summary>
    /// The data source of an engine on <paramref name="connectionString"/>. On a database <see cref="NewDatabaseAsync"/> made it
    /// is pooled, so that the engine's later calls reuse a backend whose catalog caches are warm (a new backend plans its
    /// first catalog queries several times slower); its idle connections close within two seconds, and all of them when
    /// the database is dropped or cloned (<see cref="CloseEngineConnectionsAsync"/>). Any other string is used as given.
    /// </summary>
    public static NpgsqlDataSource EngineDataSource(string connectionString)
    {
        if (!Fresh.TryGetValue(connectionString, out var name)) return KnowItAll.Migrations.Connections.CreateDataSource(connectionString);
        var pooled =
            new NpgsqlConnectionStringBuilder(connectionString) { Pooling = true, ConnectionIdleLifetime = 2, ConnectionPruningInterval = 1 };
        var source = KnowItAll.Migrations.Connections.CreateDataSource(pooled.ConnectionString);
        EngineSources.GetOrAdd(name, _ => []).Add(source);
        return source;
    }

    /// <summary>Closes the connections of the engines made on <paramref name="database"/> (before it is dropped or used as a template).</summary>
    public static async Task CloseEngineConnectionsAsync(string database)
    {
        if (!EngineSources.TryRemove(database, out var sources)) return;
        foreach (var source in sources) await source.DisposeAsync();
    }

    /// <summary>
    /// Drops a database <see cref="NewDatabaseAsync"/> made, once its test is done: a server holding hundreds of them
    /// makes every later test slower.
    /// </summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await CloseEngineConnectionsAsync(name);
        await ExecuteAsync(_adminConnection, $"DROP DATABASE IF EXISTS {Identifier.Quote(name)} WITH (FORCE)");
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
        new(PostgresFixture.EngineDataSource(connectionString), source, options ?? new MigrationOptions { RunBy = "tests" });
}
