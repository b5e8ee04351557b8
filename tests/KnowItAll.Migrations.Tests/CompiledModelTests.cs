using System.Security.Cryptography;
using System.Text;
using KnowItAll.Migrations.Desired;
using Npgsql;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// The compiled desired model (schema/knowitall.lock.json): deterministic, equal in effect to building from the
/// files, and never used when the files beside it changed or it was made for another target or server.
/// </summary>
[Collection(PostgresParallelC.Name)]
public sealed class CompiledModelTests(PostgresFixture pg)
{
    private static readonly MigrationOptions Options = new() { RunBy = "tests" };

    [Fact]
    public async Task The_same_files_compile_to_the_same_bytes_with_every_file_hashed()
    {
        var first = await CompileAsync(Repo.TutorSchema());
        var second = await CompileAsync(Repo.TutorSchema());

        Assert.Equal(CompiledModelFile.Serialize(first), CompiledModelFile.Serialize(second));
        var onDisk = Directory.GetFiles(Repo.SchemaDirectory, "*.sql").Order(StringComparer.Ordinal)
            .Select(f => new CompiledSource(Path.GetFileName(f), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))))).ToList();
        Assert.Equal(onDisk, first.Sources);
        await using var connection = await OpenAsync(await pg.NewDatabaseAsync());
        Assert.Equal(connection.PostgreSqlVersion.Major, first.ServerMajorVersion);
        Assert.Equal(first.Model.Fingerprint(), first.ModelFingerprint);
        Assert.Equal("public", first.TargetSchema);
    }

    [Fact]
    public async Task The_committed_compiled_model_is_what_a_build_gives_now()
    {
        var fresh = CompiledModelFile.Serialize(await CompileAsync(Repo.TutorSchema()));
        var committed = await File.ReadAllBytesAsync(CompiledModelFile.DefaultPath(Repo.SchemaDirectory));
        Assert.True(fresh.AsSpan().SequenceEqual(committed), "schema/knowitall.lock.json is stale: run `knowitall schema build` and commit it");
    }

    [Fact]
    public async Task A_compiled_model_plans_applies_and_validates_like_the_files()
    {
        using var schema = await CompiledSchemaAsync();
        var notices = new List<string>();
        var resolver = new DesiredModelResolver(SchemaSource.FromDirectory(schema.Path), Functions(schema.Path, notices));
        var compiledDb = await pg.NewDatabaseAsync();
        var builtDb = await pg.NewDatabaseAsync();

        await using (var connection = await OpenAsync(compiledDb))
        {
            var desired = await resolver.ResolveAsync(connection, Options, CancellationToken.None);
            Assert.StartsWith("compiled model ", desired.Origin);
        }
        var compiledEngine = new MigrationEngine(NpgsqlDataSource.Create(compiledDb), resolver, Options);
        var builtEngine = Engines.For(builtDb, SchemaSource.FromDirectory(schema.Path));
        var compiledPlan = await compiledEngine.PlanAsync();
        var builtPlan = await builtEngine.PlanAsync();
        Assert.Equal(builtPlan.DesiredFingerprint, compiledPlan.DesiredFingerprint);
        Assert.Equal(builtPlan.PlanHash, compiledPlan.PlanHash);

        await compiledEngine.ApplyAsync(new ApplyRequest());
        var validation = await compiledEngine.ValidateAsync();
        Assert.True(validation.SchemaValid, string.Join(", ", validation.Missing.Select(m => $"{m.Kind} {m.Name}")));
        Assert.Empty(validation.Drift);
        Assert.False((await compiledEngine.PlanAsync()).HasChanges);
        Assert.Empty(notices);
    }

    [Theory]
    [InlineData("edit", "10_users.sql changed")]
    [InlineData("add", "55_notes.sql was added")]
    [InlineData("remove", "90_grants.sql was removed")]
    public async Task A_schema_edit_without_a_rebuild_is_refused_by_the_functions_naming_the_file(string edit, string named)
    {
        using var schema = await CompiledSchemaAsync();
        Edit(schema.Path, edit);
        var resolver = new DesiredModelResolver(SchemaSource.FromDirectory(schema.Path), Functions(schema.Path, []));
        var engine = new MigrationEngine(NpgsqlDataSource.Create(await pg.NewDatabaseAsync()), resolver, Options);

        var error = await Assert.ThrowsAsync<MigrationException>(() => engine.ValidateAsync());

        Assert.Equal(MigrationErrors.SchemaError, error.ErrorName);
        Assert.Contains(named, error.Message);
        Assert.Contains("knowitall schema build", error.Message);
    }

    [Fact]
    public async Task A_schema_edit_without_a_rebuild_is_rebuilt_by_the_cli_and_cached_for_the_next_call()
    {
        using var schema = await CompiledSchemaAsync();
        using var cache = new TempSchema();
        Edit(schema.Path, "edit");
        var db = await pg.NewDatabaseAsync();
        await Engines.For(db, Repo.TutorSchema()).ApplyAsync(new ApplyRequest());

        var first = new List<string>();
        var validation = await Cli(db, schema.Path, cache.Path, first).ValidateAsync();
        Assert.Contains(validation.Missing, o => o is { Kind: "column", Name: "users.nickname" });
        Assert.Contains(first, n => n.Contains("10_users.sql changed", StringComparison.Ordinal)
            && n.Contains("built the desired model", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(cache.Path));

        var second = new List<string>();
        var again = await Cli(db, schema.Path, cache.Path, second).ValidateAsync();
        Assert.Equal(validation.DesiredFingerprint, again.DesiredFingerprint);
        Assert.Contains(second, n => n.Contains("used the model cached for these files", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_for_another_target_schema_edited_by_hand_or_of_another_format_is_refused()
    {
        using var schema = await CompiledSchemaAsync();
        var path = CompiledModelFile.DefaultPath(schema.Path);
        var resolver = new DesiredModelResolver(SchemaSource.FromDirectory(schema.Path), Functions(schema.Path, []));
        await using var connection = await OpenAsync(await pg.NewDatabaseAsync());

        var foreign = await Assert.ThrowsAsync<MigrationException>(() =>
            resolver.ResolveAsync(connection, Options with { TargetSchema = "app" }, CancellationToken.None));
        Assert.Contains("compiled for the schema 'public', not 'app'", foreign.Message);

        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path))
            .Replace("\"display_name\"", "\"shown_name\"", StringComparison.Ordinal));
        var edited = Assert.Throws<MigrationException>(() => CompiledModelFile.EnsureCurrent(schema.Path, "public"));
        Assert.Contains("edited after it was compiled", edited.Message);

        await File.WriteAllTextAsync(path, "{\"format\": \"something else\"}");
        var other = await Assert.ThrowsAsync<MigrationException>(() => resolver.ResolveAsync(connection, Options, CancellationToken.None));
        Assert.Contains($"{path} is not a compiled desired model", other.Message);
    }

    [Fact]
    public async Task A_model_written_with_another_model_shape_is_refused()
    {
        using var schema = await CompiledSchemaAsync();
        var path = CompiledModelFile.DefaultPath(schema.Path);
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace(CompiledModelFile.CurrentShape, new string('0', 64),
            StringComparison.Ordinal));
        var resolver = new DesiredModelResolver(SchemaSource.FromDirectory(schema.Path), Functions(schema.Path, []));
        await using var connection = await OpenAsync(await pg.NewDatabaseAsync());

        var error = await Assert.ThrowsAsync<MigrationException>(() => resolver.ResolveAsync(connection, Options, CancellationToken.None));
        Assert.Contains("written by another version of knowitall", error.Message);
    }

    [Fact]
    public async Task A_model_normalised_by_another_server_major_is_not_used_and_the_files_are_built_instead()
    {
        using var schema = await CompiledSchemaAsync();
        await using var connection = await OpenAsync(await pg.NewDatabaseAsync());
        var major = connection.PostgreSqlVersion.Major;
        var path = CompiledModelFile.DefaultPath(schema.Path);
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path))
            .Replace($"\"server_major_version\": {major},", $"\"server_major_version\": {major - 1},", StringComparison.Ordinal));
        var notices = new List<string>();
        var resolver = new DesiredModelResolver(SchemaSource.FromDirectory(schema.Path), Functions(schema.Path, notices));

        var desired = await resolver.ResolveAsync(connection, Options, CancellationToken.None);

        Assert.StartsWith("built from ", desired.Origin);
        Assert.Equal(CompiledModelFile.Read(path).ModelFingerprint, desired.Fingerprint);
        Assert.Contains(notices, n => n.Contains($"normalised by PostgreSQL {major - 1}, the database runs PostgreSQL {major}",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_model_is_an_error_where_it_is_required()
    {
        using var schema = TempSchema.TutorWith("10_users.sql", "");
        var settings = Functions(schema.Path, []) with { RequireCompiledModel = true };
        var resolver = new DesiredModelResolver(SchemaSource.FromDirectory(schema.Path), settings);
        await using var connection = await OpenAsync(await pg.NewDatabaseAsync());

        var error = await Assert.ThrowsAsync<MigrationException>(() => resolver.ResolveAsync(connection, Options, CancellationToken.None));
        Assert.Contains("there is no compiled model at", error.Message);
    }

    private static DesiredModelSettings Functions(string directory, List<string> notices) => new()
    {
        CompiledModelPath = CompiledModelFile.DefaultPath(directory), OnStale = StaleModelPolicy.Refuse, Notice = notices.Add,
    };

    private static MigrationEngine Cli(string db, string directory, string cache, List<string> notices) => new(NpgsqlDataSource.Create(db),
        new DesiredModelResolver(SchemaSource.FromDirectory(directory), new DesiredModelSettings
        {
            CompiledModelPath = CompiledModelFile.DefaultPath(directory), OnStale = StaleModelPolicy.Rebuild, CacheDirectory = cache,
            Notice = notices.Add,
        }), Options);

    private static void Edit(string directory, string edit)
    {
        switch (edit)
        {
            case "edit":
                File.AppendAllText(Path.Combine(directory, "10_users.sql"), "\nALTER TABLE users ADD COLUMN nickname text;\n",
                Encoding.UTF8); break;
            case "add": File.WriteAllText(Path.Combine(directory, "55_notes.sql"), "CREATE TABLE notes (id bigint PRIMARY KEY);\n"); break;
            case "remove": File.Delete(Path.Combine(directory, "90_grants.sql")); break;
        }
    }

    /// <summary>The tutor schema in a directory of its own, with its compiled model beside it.</summary>
    private async Task<TempSchema> CompiledSchemaAsync()
    {
        var schema = TempSchema.TutorWith("10_users.sql", "");
        var compiled = await CompileAsync(SchemaSource.FromDirectory(schema.Path));
        await File.WriteAllBytesAsync(CompiledModelFile.DefaultPath(schema.Path), CompiledModelFile.Serialize(compiled));
        return schema;
    }

    private async Task<CompiledModel> CompileAsync(SchemaSource source)
    {
        await using var connection = await OpenAsync(await pg.NewDatabaseAsync());
        var model = await DesiredSchemaLoader.LoadAsync(connection, source, Options, CancellationToken.None);
        return CompiledModelFile.Compile(model, source, connection.PostgreSqlVersion.Major);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string db)
    {
        var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        return connection;
    }
}
