using System.Runtime.CompilerServices;
using System.Text.Json;

namespace KnowItAll.Workflow.Cli.Tests;

/// <summary><c>knowitall schema build [--check]</c>, and the engine commands reading (or rebuilding) the compiled model.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SchemaBuildTests(PostgresFixture pg)
{
    /// <summary>The CLI's model cache for this test run, instead of the user's ~/.cache.</summary>
    [ModuleInitializer]
    internal static void IsolateModelCache() =>
        Environment.SetEnvironmentVariable("KNOWITALL_CACHE_DIR", Directory.CreateTempSubdirectory("knowitall-cli-tests-cache-").FullName);

    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliTests.RunAsync(args);

    [Fact]
    public async Task Build_writes_the_model_check_accepts_it_and_catches_an_edit_without_a_rebuild()
    {
        var db = await pg.NewDatabaseAsync();
        using var schema = TempSchema.TutorWith("10_users.sql", "");
        var path = Path.Combine(schema.Path, "knowitall.lock.json");

        var build = await RunAsync("schema", "build", "--schema", schema.Path, "--connection", db, "--json");
        Assert.Equal(ExitCodes.Success, build.Exit);
        using (var json = JsonDocument.Parse(build.Out))
        {
            Assert.Equal(path, json.RootElement.GetProperty("path").GetString());
            Assert.Equal(4, json.RootElement.GetProperty("tables").GetInt32());
            Assert.Equal(6, json.RootElement.GetProperty("files").GetInt32());
        }
        var written = await File.ReadAllBytesAsync(path);
        using (var repository = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Repo.SchemaDirectory, "knowitall.lock.json"))))
        using (var mine = JsonDocument.Parse(written))
            Assert.Equal(repository.RootElement.GetProperty("model_fingerprint").GetString(), mine.RootElement.GetProperty("model_fingerprint")
                .GetString());

        var check = await RunAsync("schema", "build", "--check", "--schema", schema.Path, "--connection", db);
        Assert.Equal(ExitCodes.Success, check.Exit);
        Assert.Contains("is up to date", check.Out);

        var validate = await RunAsync("validate", "--schema", schema.Path, "--connection", db, "--json");
        Assert.Equal(ExitCodes.ChangesPending, validate.Exit);
        Assert.DoesNotContain("note:", validate.Err);

        await File.AppendAllTextAsync(Path.Combine(schema.Path, "10_users.sql"), "ALTER TABLE users ADD COLUMN nickname text;\n");
        var stale = await RunAsync("schema", "build", "--check", "--schema", schema.Path, "--connection", db);
        Assert.Equal(ExitCodes.Failure, stale.Exit);
        Assert.Contains("10_users.sql changed", stale.Err);
        Assert.Equal(written, await File.ReadAllBytesAsync(path));

        var rebuilt = await RunAsync("plan", "--schema", schema.Path, "--connection", db, "--json");
        Assert.Equal(ExitCodes.Success, rebuilt.Exit);
        Assert.Contains("10_users.sql changed", rebuilt.Err);
        Assert.Contains("nickname", rebuilt.Out);

        Assert.Equal(ExitCodes.Success, (await RunAsync("schema", "build", "--schema", schema.Path, "--connection", db)).Exit);
        var fresh = await RunAsync("plan", "--schema", schema.Path, "--connection", db, "--json");
        Assert.DoesNotContain("note:", fresh.Err);
        Assert.Contains("nickname", fresh.Out);
    }

    [Fact]
    public async Task Check_fails_when_there_is_no_model()
    {
        var db = await pg.NewDatabaseAsync();
        using var schema = TempSchema.TutorWith("10_users.sql", "");
        var check = await RunAsync("schema", "build", "--check", "--schema", schema.Path, "--connection", db);
        Assert.Equal(ExitCodes.Failure, check.Exit);
        Assert.Contains("there is no such file", check.Err);
        Assert.False(File.Exists(Path.Combine(schema.Path, "knowitall.lock.json")));
    }
}
