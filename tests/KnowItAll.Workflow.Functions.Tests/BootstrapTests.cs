using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using KnowItAll.Workflow.Functions.Runtime;

namespace KnowItAll.Workflow.Functions.Tests;

/// <summary>The bootstrap's Runtime API loop against a fake Runtime API over real HTTP, with a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BootstrapTests(PostgresFixture pg)
{
    private sealed class RunningFunction(FakeRuntimeApi api, Task<int> loop, CancellationTokenSource stop, StringWriter output) : IAsyncDisposable
    {
        public FakeRuntimeApi Api => api;
        public Task<int> Loop => loop;
        public string Output { get { lock (output) return output.ToString(); } }

        public async Task<(bool Ok, string Body, string? ErrorType)> InvokeAsync(string body, TimeSpan? deadline = null)
        {
            var id = api.Enqueue(body, deadline);
            Assert.True(await api.WaitForAnswerAsync(id, TimeSpan.FromSeconds(60)), "no answer from the function");
            return api.Responses.TryGetValue(id, out var response) ? (true, response, null) : (false, api.Errors[id].Body, api.Errors[id].Type);
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try { await loop; } catch (OperationCanceledException) { } catch (HttpRequestException) { }
            await api.DisposeAsync();
        }
    }

    private static RunningFunction Start(string handler, IReadOnlyDictionary<string, string> environment)
    {
        var api = new FakeRuntimeApi();
        var output = new StringWriter();
        var stop = new CancellationTokenSource();
        var variables = new Dictionary<string,
            string>(environment)
        { ["_HANDLER"] = handler, ["AWS_LAMBDA_RUNTIME_API"] = api.Address, ["KNOWITALL_ENVIRONMENT"] = "test" };
        var loop = Task.Run(() => LambdaBootstrap.RunAsync(k => variables.GetValueOrDefault(k), output, stop.Token));
        return new RunningFunction(api, loop, stop, output);
    }

    private static Dictionary<string, string> Env(string db) =>
        new() { ["DB_CONNECTION_STRING"] = db, ["KNOWITALL_SCHEMA_DIR"] = Repo.SchemaDirectory };

    [Fact]
    public async Task Each_function_answers_through_the_runtime_api_against_a_real_database()
    {
        var db = await pg.NewDatabaseAsync();
        var outputs = new List<string>();

        await using (var validate = Start("Validate", Env(db)))
        {
            var (ok, body, _) = await validate.InvokeAsync("""{"action":"apply","dry_run":false}""");
            Assert.True(ok, body);
            Assert.False(JsonNode.Parse(body)!["schema_valid"]!.GetValue<bool>());
            outputs.Add(validate.Output + body);
        }
        string hash;
        await using (var plan = Start("Plan", Env(db)))
        {
            var (ok, body, _) = await plan.InvokeAsync("""{"action":"apply"}""");
            Assert.True(ok, body);
            hash = JsonNode.Parse(body)!["plan_hash"]!.GetValue<string>();
            outputs.Add(plan.Output + body);
        }
        await using (var apply = Start("Apply", Env(db)))
        {
            var (ok, body, _) = await apply.InvokeAsync($$"""{"dry_run":false,"plan_hash":"{{hash}}"}""");
            Assert.True(ok, body);
            Assert.True(JsonNode.Parse(body)!["changed"]!.GetValue<bool>());
            Assert.Contains("\"MigrationSuccess\":1", apply.Output);
            Assert.Contains("\"CloudWatchMetrics\"", apply.Output);
            Assert.Contains("\"request_id\"", apply.Output);
            Assert.Contains("\"trace_id\":\"Root=1-5759e988", apply.Output);
            outputs.Add(apply.Output + body);
        }
        await using (var verify = Start("VerifyPermissions", Env(db)))
        {
            var (ok, body, _) = await verify.InvokeAsync("{}");
            Assert.True(ok, body);
            Assert.True(JsonNode.Parse(body)!["success"]!.GetValue<bool>());
            outputs.Add(verify.Output + body);
        }
        await using (var notify = Start("Notify", new Dictionary<string, string>()))
        {
            var (ok, body, _) = await notify.InvokeAsync(
                """{"action":"apply","dry_run":false,"outcome":"APPLIED","apply":{"statements_executed":7,"changed":true}""" +
                ""","execution":{"id":"arn:exec:1"}}""");
            Assert.True(ok, body);
            Assert.Equal("[test] Schema migration SUCCEEDED: 7 changes", JsonNode.Parse(body)!["subject"]!.GetValue<string>());
            Assert.Contains("--- notification: [test] Schema migration SUCCEEDED: 7 changes", notify.Output);
            Assert.Contains("status=SUCCEEDED environment=test action=apply dry_run=false", notify.Output);
            outputs.Add(notify.Output + body);
        }

        var password = new NpgsqlConnectionStringBuilder(db).Password!;
        Assert.All(outputs, o =>
        {
            Assert.DoesNotContain(password, o);
            Assert.DoesNotContain(db, o);
        });
    }

    [Fact]
    public async Task Bad_events_and_failures_come_back_as_named_errors_and_the_loop_goes_on()
    {
        var db = await pg.NewDatabaseAsync();
        await using var apply = Start("Apply", Env(db));

        var malformed = await apply.InvokeAsync("{\"dry_run\": tru");
        Assert.Equal("Migration.InvalidInput", malformed.ErrorType);
        Assert.Contains("not valid JSON", malformed.Body);

        var wrongType = await apply.InvokeAsync("""{"dry_run":"yes"}""");
        Assert.Equal("Migration.InvalidInput", wrongType.ErrorType);
        Assert.Contains("'dry_run' must be true or false", wrongType.Body);

        var notAnObject = await apply.InvokeAsync("[1,2]");
        Assert.Equal("Migration.InvalidInput", notAnObject.ErrorType);

        var badHash = await apply.InvokeAsync("""{"plan_hash":"nope"}""");
        Assert.Equal("Migration.InvalidInput", badHash.ErrorType);

        var dry = await apply.InvokeAsync("""{"dry_run":true}""");
        Assert.False(dry.Ok);
        Assert.Equal("Migration.InvalidInput", dry.ErrorType);
        Assert.Contains("dry run stops after Plan", dry.Body);
        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.users')::text"));
        var errorBody = JsonNode.Parse(malformed.Body)!;
        Assert.Equal("Migration.InvalidInput", errorBody["errorType"]!.GetValue<string>());
        Assert.NotNull(errorBody["stackTrace"]);

        using (var broken = TempSchema.Only("10_broken.sql", "CREATE TABLE t (\n  id int,\n  oops nonsense_type\n);"))
        {
            await using var validate = Start("Validate", new Dictionary<string,
                string>
            { ["DB_CONNECTION_STRING"] = db, ["KNOWITALL_SCHEMA_DIR"] = broken.Path });
            var schemaError = await validate.InvokeAsync("{}");
            Assert.Equal("Migration.SchemaError", schemaError.ErrorType);
            Assert.Contains("10_broken.sql:3", schemaError.Body);
        }

        await using var down = Start("Validate", new Dictionary<string, string>
        {
            ["DB_CONNECTION_STRING"] = "Host=127.0.0.1;Port=1;Username=u;Password=very-secret-pw;Database=d;Timeout=2",
            ["KNOWITALL_SCHEMA_DIR"] = Repo.SchemaDirectory,
        });
        var unavailable = await down.InvokeAsync("{}");
        Assert.Equal("Migration.DatabaseUnavailable", unavailable.ErrorType);
        Assert.Contains("\"DatabaseConnectionErrors\":1", down.Output);
        Assert.DoesNotContain("very-secret-pw", down.Output + unavailable.Body);
    }

    [Fact]
    public async Task A_schema_edit_deployed_without_rebuilding_the_compiled_model_is_refused_naming_the_file()
    {
        var db = await pg.NewDatabaseAsync();
        using var schema = TempSchema.TutorWith("10_users.sql", "ALTER TABLE users ADD COLUMN nickname text;");
        File.Copy(Path.Combine(Repo.SchemaDirectory, "knowitall.lock.json"), Path.Combine(schema.Path, "knowitall.lock.json"));

        foreach (var handler in new[] { "Validate", "Plan", "Apply" })
        {
            await using var function =
                Start(handler, new Dictionary<string, string> { ["DB_CONNECTION_STRING"] = db, ["KNOWITALL_SCHEMA_DIR"] = schema.Path });
            var (ok, body, errorType) = await function.InvokeAsync("""{"action":"apply","dry_run":false,"plan_hash":null}""");
            Assert.False(ok, body);
            Assert.Equal("Migration.SchemaError", errorType);
            Assert.Contains("10_users.sql changed", body);
            Assert.Contains("knowitall schema build", body);
        }
        Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task A_deployed_function_without_its_compiled_model_is_refused()
    {
        var db = await pg.NewDatabaseAsync();
        using var schema = TempSchema.TutorWith("10_users.sql", "");
        await using var function = Start("Validate", new Dictionary<string, string>
        {
            ["DB_CONNECTION_STRING"] = db, ["KNOWITALL_SCHEMA_DIR"] = schema.Path, ["KNOWITALL_REQUIRE_COMPILED_MODEL"] = "true",
        });
        var (ok, body, errorType) = await function.InvokeAsync("""{"action":"apply","dry_run":false}""");
        Assert.False(ok, body);
        Assert.Equal("Migration.SchemaError", errorType);
        Assert.Contains("there is no compiled model at", body);
    }

    [Fact]
    public async Task An_unknown_handler_is_an_init_error()
    {
        await using var unknown = Start("Migrate", new Dictionary<string, string>());
        var (type, body) = await unknown.Api.InitError.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Runtime.UnknownHandler", type);
        Assert.Contains("'Migrate'", body);
        Assert.Equal(1, await unknown.Loop);
    }

    [Fact]
    public async Task An_invocation_reaching_its_deadline_stops_cleanly_and_changes_nothing()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        using (var desired =
            TempSchema.TutorWith("50_notes.sql", "CREATE TABLE notes (id int PRIMARY KEY);\nALTER TABLE users ADD COLUMN locale text;"))
        {
            await using var blocker = new NpgsqlConnection(db);
            await blocker.OpenAsync();
            await using (var hold = new NpgsqlCommand("BEGIN; SELECT count(*) FROM users", blocker)) await hold.ExecuteNonQueryAsync();
            await using var apply = Start("Apply", new Dictionary<string, string>
            {
                ["DB_CONNECTION_STRING"] = db, ["KNOWITALL_SCHEMA_DIR"] = desired.Path, ["KNOWITALL_LOCK_TIMEOUT_MS"] = "60000",
            });

            var watch = Stopwatch.StartNew();
            var result = await apply.InvokeAsync("{}", deadline: TimeSpan.FromSeconds(6));

            Assert.Equal("Migration.Timeout", result.ErrorType);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"answered after {watch.Elapsed}, past the deadline");
            Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.notes')::text"));
            Assert.Contains("\"MigrationFailure\":1", apply.Output);
        }
    }
}
