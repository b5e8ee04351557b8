using System.Text.Json;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Json;
using Npgsql;

namespace KnowItAll.Workflow.Cli.Tests;

[Collection(PostgresCollection.Name)]
public sealed class CliTests(PostgresFixture pg)
{
    internal static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await KnowItAllCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Validate_plan_apply_verify_follow_the_documented_exit_codes_and_json()
    {
        var db = await pg.NewDatabaseAsync();
        var schema = Repo.SchemaDirectory;

        var pending = await RunAsync("validate", "--connection", db, "--schema", schema, "--json");
        Assert.Equal(ExitCodes.ChangesPending, pending.Exit);
        using (var json = JsonDocument.Parse(pending.Out))
        {
            Assert.False(json.RootElement.GetProperty("schema_valid").GetBoolean());
            Assert.True(json.RootElement.GetProperty("missing").GetArrayLength() > 10);
        }

        var plan = await RunAsync("plan", "--connection", db, "--schema", schema, "--json");
        Assert.Equal(ExitCodes.Success, plan.Exit);
        string hash;
        using (var json = JsonDocument.Parse(plan.Out))
        {
            hash = json.RootElement.GetProperty("plan_hash").GetString()!;
            Assert.True(json.RootElement.GetProperty("has_changes").GetBoolean());
            Assert.Equal("lock", json.RootElement.GetProperty("statements")[0].EnumerateObject().Select(p => p.Name).Single(n => n == "lock"));
        }

        var dry = await RunAsync("apply", "--dry-run", "--connection", db, "--schema", schema);
        Assert.Equal(ExitCodes.Success, dry.Exit);
        Assert.Contains("dry run: nothing was changed", dry.Out);
        Assert.Equal(ExitCodes.ChangesPending, (await RunAsync("validate", "--connection", db, "--schema", schema)).Exit);

        var apply = await RunAsync("apply", "--plan-hash", hash, "--connection", db, "--schema", schema);
        Assert.Equal(ExitCodes.Success, apply.Exit);
        Assert.Contains("quiz_sessions", apply.Out);
        Assert.Contains("applied", apply.Out);

        var valid = await RunAsync("validate", "--connection", db, "--schema", schema);
        Assert.Equal(ExitCodes.Success, valid.Exit);
        Assert.Contains("schema is valid", valid.Out);

        var verify = await RunAsync("verify-permissions", "--connection", db, "--schema", schema, "--json");
        Assert.Equal(ExitCodes.Success, verify.Exit);
        using (var json = JsonDocument.Parse(verify.Out)) Assert.True(json.RootElement.GetProperty("success").GetBoolean());

        var again = await RunAsync("apply", "--connection", db, "--schema", schema, "--json");
        using (var json = JsonDocument.Parse(again.Out))
        {
            Assert.False(json.RootElement.GetProperty("changed").GetBoolean());
            Assert.False(json.RootElement.TryGetProperty("success", out _), "a result that is always true is not printed");
        }

        var history = await RunAsync("history", "--connection", db, "--schema", schema, "--json");
        Assert.Equal(ExitCodes.Success, history.Exit);
        using (var json = JsonDocument.Parse(history.Out))
        {
            var runs = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(["no_changes", "applied"], runs.Select(r => r.GetProperty("outcome").GetString()));
            Assert.Equal(hash, runs[1].GetProperty("plan_hash").GetString());
        }
        var table = await RunAsync("history", "--connection", db, "--schema", schema);
        Assert.Contains("applied", table.Out);
        Assert.Contains("no_changes", table.Out);
        Assert.Contains(hash[..12], table.Out);
        Assert.Equal(ExitCodes.Failure, (await RunAsync("history", "--limit", "0", "--connection", db, "--schema", schema)).Exit);

        foreach (var output in new[] { pending, plan, dry, apply, valid, verify, again, history, table })
        {
            Assert.DoesNotContain(pg.Password, output.Out + output.Err);
            Assert.DoesNotContain(db, output.Out + output.Err);
        }
    }

    [Fact]
    public async Task Failures_are_named_on_stderr_and_as_json_and_change_nothing()
    {
        var db = await pg.NewDatabaseAsync();

        var stale = await RunAsync("apply", "--plan-hash", new string('a', 64), "--connection", db, "--schema", Repo.SchemaDirectory, "--json");
        Assert.Equal(ExitCodes.Failure, stale.Exit);
        Assert.Contains("Migration.PlanStale", stale.Err);
        using (var json = JsonDocument.Parse(stale.Out))
        {
            Assert.False(json.RootElement.GetProperty("success").GetBoolean());
            Assert.Equal("Migration.PlanStale", json.RootElement.GetProperty("error_type").GetString());
        }
        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.users')::text"));

        var badTimeout = await RunAsync("apply", "--lock-timeout-ms", "-5", "--connection", db);
        Assert.Equal(ExitCodes.Failure, badTimeout.Exit);
        Assert.Contains("--lock-timeout-ms must be positive", badTimeout.Err);

        var noDir = await RunAsync("plan", "--schema", "/nonexistent/schema", "--connection", db);
        Assert.Equal(ExitCodes.Failure, noDir.Exit);
        Assert.Contains("'/nonexistent/schema' does not exist", noDir.Err);

        var badConnection = await RunAsync("validate", "--connection", "Host=127.0.0.1;Password=hunter2-secret;Bogus Key=1");
        Assert.Equal(ExitCodes.Failure, badConnection.Exit);
        Assert.Contains("--connection is not a valid PostgreSQL connection string", badConnection.Err);
        Assert.DoesNotContain("hunter2-secret", badConnection.Out + badConnection.Err);

        var refused = await RunAsync("validate", "--connection",
            new NpgsqlConnectionStringBuilder(db) { Password = "wrong-password-123" }.ConnectionString);
        Assert.Equal(ExitCodes.Failure, refused.Exit);
        Assert.Contains("Migration.DatabaseUnavailable", refused.Err);
        Assert.DoesNotContain("wrong-password-123", refused.Out + refused.Err);

        var unknown = await RunAsync("migrate-everything");
        Assert.NotEqual(ExitCodes.Success, unknown.Exit);
        Assert.Contains("migrate-everything", unknown.Err);
    }

    [Fact]
    public async Task Json_of_megabytes_is_written_in_blocks_redacted_and_byte_for_byte_what_the_serializer_writes()
    {
        const string secret = "s3cr3t-pa55word";
        var context = new MigrationJsonContext(new JsonSerializerOptions(MigrationJsonContext.Default.Options)
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        // 30,000 objects (megabytes of JSON), a line far longer than a block with the secret across a block's end, and
        // the secret in an ordinary line.
        var objects = Enumerable.Range(0, 30_000).Select(i => new ObjectStatus("column", $"t{i / 15:D5}.c{i % 15:D2}", ObjectStatus.Present))
            .ToList();
        objects[12_345] = new ObjectStatus("table", "t_long", ObjectStatus.Different, new string('x', 16 * 1024 - 7) + secret +
            new string('y', 50_000));
        objects[29_000] = new ObjectStatus("table", "t_" + secret, ObjectStatus.Missing);
        var value = new ValidationResult(false, "public", "fp", "dfp", objects.Count, [], [], objects, 1);

        var inner = new StringWriter();
        using (var writer = new RedactingWriter(inner))
        {
            writer.AddSecret(secret);
            await writer.WriteJsonAsync(value, context.ValidationResult);
        }

        var expected = JsonSerializer.Serialize(value, context.ValidationResult) + "\n";
        Assert.True(expected.Length > 2_000_000, $"the document is only {expected.Length} characters");
        Assert.Equal(2, expected.Split(secret).Length - 1);
        Assert.Equal(expected.Replace(secret, "***", StringComparison.Ordinal), inner.ToString());
    }

    [Fact]
    public void The_redacting_writer_removes_every_known_secret()
    {
        var inner = new StringWriter();
        using (var writer = new RedactingWriter(inner))
        {
            writer.AddSecret("pa55word");
            writer.AddSecret("Host=db;Password=pa55word");
            writer.WriteLine("connecting with Host=db;Password=pa55word");
            writer.Write("partial pa5");
            writer.Write("5word at the end");
        }
        Assert.Equal($"connecting with ***{Environment.NewLine}partial *** at the end", inner.ToString());
    }
}
