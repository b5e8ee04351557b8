using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Embedded;
using System.Collections.Concurrent;
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
    // PostgreSQL 15 copies a template through the WAL by default; its small databases copy with about half the server's CPU
    // file by file (the two checkpoints that costs are cheap on a server without fsync).
    private static string _createOptions = "";

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
                _createOptions = await ScalarAsync<string>(_shared, "SHOW server_version_num") is { } version && int.Parse(version,
                    System.Globalization.CultureInfo.InvariantCulture) >= 150000 ? " STRATEGY FILE_COPY" : "";
                // A file copy takes template1's relation cache file along (written by its first session): the first session in
                // each new database then reads it instead of building the cache from the catalogs. Unpooled: a session left
                // open on template1 would stop every CREATE DATABASE.
                var template1 = new NpgsqlConnectionStringBuilder(_shared) { Database = "template1", Pooling = false };
                await ExecuteAsync(template1.ConnectionString, "SELECT 1");
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
    public Task<string> NewDatabaseAsync() => CreateAsync("");

    /// <summary>
    /// A new database that is a copy of <paramref name="template"/>, a database <see cref="NewDatabaseAsync"/> made that no test
    /// connects to any more (its engines' connections are closed first); returns its connection string.
    /// </summary>
    public async Task<string> CopyOfDatabaseAsync(string template)
    {
        var source = new NpgsqlConnectionStringBuilder(template).Database!;
        await CloseEngineConnectionsAsync(source);
        return await CreateAsync($" TEMPLATE {Identifier.Quote(source)}");
    }

    private async Task<string> CreateAsync(string options)
    {
        // A short process id makes the text shorter than 40 characters; cut only what is longer.
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}_{Guid.NewGuid():N}";
        name = name[..Math.Min(name.Length, 40)];
        await ExecuteAsync(_adminConnection, $"CREATE DATABASE {name}{options}{_createOptions}");
        // Unpooled for the test's own connections (a pooled one would keep its session, a held advisory lock among it,
        // after it is closed); the engines a test makes on it pool theirs (EngineDataSource).
        var unpooled = new NpgsqlConnectionStringBuilder(_adminConnection) { Database = name, Pooling = false }.ConnectionString;
        Fresh.TryAdd(unpooled, name);
        return unpooled;
    }

    // The databases NewDatabaseAsync made, by connection string, and the pooled data sources on each (by connection string).
    private static readonly ConcurrentDictionary<string, string> Fresh = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, NpgsqlDataSource>> EngineSources =
        new(StringComparer.Ordinal);

    /// <summary>
    /// The data source of an engine on <paramref name="connectionString"/>. On a database <see cref="NewDatabaseAsync"/> made it
    /// is pooled and shared by every engine a test makes on that database, so that an engine's calls, and the next engine's,
    /// reuse a backend whose catalog caches are warm (a new backend plans its first catalog queries several times slower);
    /// Npgsql resets a pooled session (advisory locks, settings) before it is used again. Its idle connections close within
    /// two seconds, and all of them when the database is dropped or cloned (<see cref="CloseEngineConnectionsAsync"/>).
    /// Any other string is used as given.
    /// </summary>
    public static NpgsqlDataSource EngineDataSource(string connectionString)
    {
        if (!Fresh.TryGetValue(connectionString, out var name)) return KnowItAll.Migrations.Connections.CreateDataSource(connectionString);
        return Pooled(name, connectionString, "engines");
    }

    // A pooled source on a fresh database, one per purpose: the test's own reads never share a session with an engine, so
    // they cannot hide what an engine left behind in its session (a reset releases advisory locks before the next use).
    private static NpgsqlDataSource Pooled(string name, string connectionString, string purpose) =>
        EngineSources.GetOrAdd(name, _ => new(StringComparer.Ordinal)).GetOrAdd(purpose + "\n" + connectionString, _ =>
            KnowItAll.Migrations.Connections.CreateDataSource(
                new NpgsqlConnectionStringBuilder(connectionString) { Pooling = true, ConnectionIdleLifetime = 2, ConnectionPruningInterval = 1 }
                    .ConnectionString));

    /// <summary>Closes the pooled connections made on <paramref name="database"/> (before it is dropped or used as a template).</summary>
    public static async Task CloseEngineConnectionsAsync(string database)
    {
        if (!EngineSources.TryRemove(database, out var sources)) return;
        foreach (var source in sources.Values) await source.DisposeAsync();
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

    /// <summary>
    /// The live model of a database's public schema. A pure catalog read: on a database <see cref="NewDatabaseAsync"/> made it
    /// runs on a pooled backend of its own (warm catalog caches), elsewhere on a new connection.
    /// </summary>
    public static async Task<KnowItAll.Migrations.Model.SchemaModel> ReadLiveAsync(string connectionString)
    {
        await using var connection = Fresh.TryGetValue(connectionString, out var name)
            ? await Pooled(name, connectionString, "reads").OpenConnectionAsync()
            : new NpgsqlConnection(connectionString);
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
        return await KnowItAll.Migrations.Catalog.CatalogReader.ReadAsync(connection, "public", TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    /// <summary>
    /// A read-only query's single value. On a database <see cref="NewDatabaseAsync"/> made it runs on the pooled backend the
    /// test's catalog reads use (never an engine's), elsewhere on a new connection as <see cref="ScalarAsync{T}"/> does.
    /// </summary>
    public static async Task<T?> ReadScalarAsync<T>(string connectionString, string sql)
    {
        if (!Fresh.TryGetValue(connectionString, out var name)) return await ScalarAsync<T>(connectionString, sql);
        await using var connection = await Pooled(name, connectionString, "reads").OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
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
