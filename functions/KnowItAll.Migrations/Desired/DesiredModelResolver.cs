using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Desired;

/// <summary>What to do with a compiled model that no longer matches the schema files beside it.</summary>
public enum StaleModelPolicy
{
    /// <summary>Build the model from the files on the database (and cache it): the CLI.</summary>
    Rebuild,

    /// <summary>Fail with <see cref="MigrationErrors.SchemaError"/> naming the changed file: the functions, whose bundle must be
    /// consistent.</summary>
    Refuse,
}

public sealed record DesiredModelSettings
{
    /// <summary>The compiled model that stands for the sources (normally schema/knowitall.lock.json); null: always build.</summary>
    public string? CompiledModelPath { get; init; }

    public StaleModelPolicy OnStale { get; init; } = StaleModelPolicy.Rebuild;

    /// <summary>A missing compiled model is an error instead of a build from the sources (deployed functions).</summary>
    public bool RequireCompiledModel { get; init; }

    /// <summary>Where models built from the sources are kept, keyed by the sources' hash, the target schema and the server major version.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Receives one sentence whenever the compiled model is not used, and why.</summary>
    public Action<string> Notice { get; init; } = _ => { };
}

/// <summary>The desired model an engine works with, its fingerprint, and where it came from (for logs).</summary>
public sealed record DesiredModel(SchemaModel Model, string Fingerprint, string Origin);

/// <summary>
/// The one place that decides where the desired model comes from. The compiled model is used when it was
/// compiled from exactly these files for this target schema (else it is stale: rebuilt or refused, by policy)
/// and normalised under the same conditions as this server (same major version, extensions in the same
/// schemas; else the model is built from the files on this database, which is always correct, and said so).
/// Reading it takes no database lock, whatever the schema's size.
/// </summary>
/// <param name="sources">
/// The schema files, which may still be being read and hashed (<see cref="SchemaSource.StartReading"/>): they are
/// needed only once the compiled model is parsed, so a cold call reads them while it connects.
/// </param>
public sealed class DesiredModelResolver(Task<SchemaSource> sources, DesiredModelSettings? settings = null)
{
    private readonly DesiredModelSettings _settings = settings ?? new DesiredModelSettings();
    private PendingRead? _reading;

    public DesiredModelResolver(SchemaSource source, DesiredModelSettings? settings = null) : this(Task.FromResult(source), settings)
    {
    }

    /// <summary>
    /// Starts reading the compiled model on the thread pool, so the file is read and parsed while the server reads
    /// the live catalog; <see cref="ResolveAsync"/> then takes that read instead of reading the file again.
    /// </summary>
    public void StartReading(string targetSchema)
    {
        if (_settings.CompiledModelPath is not { } path || Volatile.Read(ref _reading) is not null || !File.Exists(path)) return;
        Interlocked.CompareExchange(ref _reading, new PendingRead(targetSchema, Task.Run(async () => ReadFor(path, targetSchema, await sources))),
            null);
    }

    public async Task<DesiredModel> ResolveAsync(NpgsqlConnection connection, MigrationOptions options, CancellationToken cancellationToken)
    {
        var major = connection.PostgreSqlVersion.Major;
        string? why = null;
        if (_settings.CompiledModelPath is { } path)
        {
            if (File.Exists(path))
            {
                var (compiled, problem) = await ReadCompiledAsync(path, options.TargetSchema, await sources);
                if (problem is not null)
                {
                    if (_settings.OnStale == StaleModelPolicy.Refuse)
                        throw new MigrationException(MigrationErrors.SchemaError,
                            $"the compiled model {path} does not match the schema files beside it: {problem}; " +
                            "run `knowitall schema build`, commit the file and deploy again");
                    why = $"the compiled model {path} is stale: {problem}";
                }
                else if (await ServerMismatchAsync(connection, compiled!, major, cancellationToken) is { } server)
                {
                    why = $"the compiled model {path} does not fit this server: {server}";
                }
                else
                {
                    return Use(compiled!, path);
                }
            }
            else if (_settings.RequireCompiledModel)
            {
                throw new MigrationException(MigrationErrors.SchemaError,
                    $"there is no compiled model at {path}: run `knowitall schema build` and deploy it with the schema files");
            }
            else
            {
                why = $"there is no compiled model at {path}";
            }
        }

        var source = await sources;
        string? cachePath = null;
        if (_settings.CacheDirectory is { } cache)
        {
            cachePath = Path.Combine(cache, $"{source.Hash[..24]}-{options.TargetSchema}-pg{major}-{CompiledModelFile.CurrentShape[..12]}.json");
            if (File.Exists(cachePath))
            {
                var (cached, problem) = ReadFor(cachePath, options.TargetSchema, source, quiet: true);
                if (problem is null && await ServerMismatchAsync(connection, cached!, major, cancellationToken) is null)
                {
                    if (why is not null)
                        _settings.Notice(
                            $"{why}; used the model cached for these files ({cachePath}); `knowitall schema build` updates the compiled model");
                    return Use(cached!, cachePath);
                }
            }
        }

        var model = await DesiredSchemaLoader.LoadAsync(connection, source, options, cancellationToken);
        var built = CompiledModelFile.Compile(model, source, major);
        if (cachePath is not null) Store(cachePath, built);
        if (why is not null)
            _settings.Notice($"{why}; built the desired model from the schema files on the database" +
                             (cachePath is null ? "" : " and cached it for the next call") + "; `knowitall schema build` updates the compiled model");
        return new DesiredModel(built.Model, built.ModelFingerprint, "built from " + source.Origin);
    }

    private async Task<(CompiledModel? Model, string? Problem)> ReadCompiledAsync(string path, string targetSchema, SchemaSource source)
    {
        if (Interlocked.Exchange(ref _reading, null) is { } reading && reading.TargetSchema == targetSchema)
            return await reading.Read;
        return ReadFor(path, targetSchema, source);
    }

    /// <summary>Reads a compiled model and says why it does not stand for the sources, or null when it does.</summary>
    private (CompiledModel? Model, string? Problem) ReadFor(string path, string targetSchema, SchemaSource source, bool quiet = false)
    {
        CompiledModel compiled;
        try
        {
            compiled = CompiledModelFile.Read(path);
        }
        catch (MigrationException e) when (_settings.OnStale == StaleModelPolicy.Rebuild || quiet)
        {
            return (null, e.Message);
        }
        // The model's fingerprint is not recomputed here (a tenth of a second at 1,000 tables): a hand edit is caught
        // where the file is checked, by `knowitall schema build --check` in CI and by the bundle (EnsureCurrent).
        return (compiled, CompiledModelFile.Mismatch(compiled, source, targetSchema));
    }

    private static DesiredModel Use(CompiledModel compiled, string path) => new(compiled.Model, compiled.ModelFingerprint, "compiled model " + path);

    /// <summary>Why a model normalised elsewhere would not compare equal to what this server produces, or null.</summary>
    private static async Task<string?> ServerMismatchAsync(NpgsqlConnection connection, CompiledModel compiled, int major, CancellationToken ct)
    {
        if (compiled.ServerMajorVersion != major)
            return $"it was normalised by PostgreSQL {compiled.ServerMajorVersion}, the database runs PostgreSQL {major}";
        if (compiled.Model.Extensions.Count == 0) return null;
        await using var command = new NpgsqlCommand(
            "SELECT e.extname, n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var installed = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) installed[reader.GetString(0)] = reader.GetString(1);
        foreach (var extension in compiled.Model.Extensions)
            if (installed.TryGetValue(extension.Name, out var schema) && schema != extension.Schema)
                return $"extension {extension.Name} is installed in schema {schema} here, the model has it in {extension.Schema}";
        return null;
    }

    private static void Store(string path, CompiledModel compiled)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temporary, CompiledModelFile.Serialize(compiled));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written only costs the next call a rebuild.
        }
    }

    private sealed record PendingRead(string TargetSchema, Task<(CompiledModel? Model, string? Problem)> Read);
}
