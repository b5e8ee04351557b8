using Xunit.Abstractions;

namespace KnowItAll.Workflow.Functions.Tests;

/// <summary>The bad-input corpus: every bad event is a clear, named error, and the database is untouched.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BadInputCorpusTests(PostgresFixture pg, ITestOutputHelper output)
{
    public static IEnumerable<(string Name, string Function, string Event, string Error, string Says)> Corpus()
    {
        yield return ("truncated JSON", "Apply", "{\"dry_run\": fal", "Migration.InvalidInput", "not valid JSON");
        yield return ("not JSON at all", "Apply", "DROP TABLE users;", "Migration.InvalidInput", "not valid JSON");
        yield return ("a JSON array", "Apply", "[{\"dry_run\": false}]", "Migration.InvalidInput", "must be a JSON object");
        yield return ("a JSON string", "Validate", "\"apply\"", "Migration.InvalidInput", "must be a JSON object");
        yield return ("dry_run as a string", "Apply", "{\"dry_run\": \"false\"}", "Migration.InvalidInput", "'dry_run' must be true or false");
        yield return ("dry_run as a number", "Apply", "{\"dry_run\": 0}", "Migration.InvalidInput", "'dry_run' must be true or false");
        yield return ("plan_hash as an object", "Apply", "{\"plan_hash\": {\"$ne\": 1}}", "Migration.InvalidInput", "'plan_hash' must be a string");
        yield return ("plan_hash with SQL", "Apply", "{\"plan_hash\": \"'; DROP TABLE users; --\"}", "Migration.InvalidInput",
            "not a 64-character hex SHA-256");
        yield return ("plan_hash of the wrong length", "Apply", "{\"plan_hash\": \"abc123\"}", "Migration.InvalidInput",
            "not a 64-character hex SHA-256");
        yield return ("oversized event", "Apply", "{\"padding\": \"" + new string('x', 300 * 1024) + "\"}", "Migration.InvalidInput",
            "the limit is 262,144");
        yield return ("deeply nested event", "Validate", new string('[', 100) + new string(']', 100), "Migration.InvalidInput", "not valid JSON");
        yield return ("unknown function", "Migrate", "{}", "Migration.InvalidInput", "unknown function 'Migrate'");
    }

    [Fact]
    public async Task Every_bad_event_is_a_named_error_and_changes_nothing()
    {
        var db = await pg.NewDatabaseAsync();
        var log = new StringWriter();
        var environment = new FunctionEnvironment { SchemaDirectory = Repo.SchemaDirectory, EnvironmentName = "test" };
        using var reports = new TempReports();
        await using var services = new FunctionServices(environment, new StaticCredentials(db), new StdoutPublisher(log), reports.Store, log);
        var host = new FunctionHost(services, log);
        var passed = 0;
        var corpus = Corpus().ToList();

        foreach (var (name, function, body, error, says) in corpus)
        {
            var outcome = await host.InvokeAsync(function, body, new InvocationContext("corpus-" + passed));
            Assert.False(outcome.Succeeded, $"{name}: succeeded");
            Assert.Equal(error, outcome.ErrorType);
            Assert.Contains(says, outcome.ErrorMessage);
            passed++;
        }

        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.users')::text"));
        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regnamespace('knowitall_migrations')::text"));
        Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'knowitall_scratch%'"));
        output.WriteLine($"bad input corpus: {corpus.Count} events tried, {passed} gave a named error, 0 database changes");
    }
}
