using KnowItAll.Migrations.Reporting;
using System.Text.Json.Nodes;

namespace KnowItAll.Workflow.Cli.Tests;

/// <summary>knowitall workflow run: the real definition, the in-process functions, a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkflowRunTests(PostgresFixture pg)
{
    private async Task<(int Exit, JsonObject Execution, string All)> RunAsync(string db, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await KnowItAllCli.RunAsync(["workflow", "run", "--json", "--connection", db, .. args], stdout, stderr);
        var all = stdout + "\n" + stderr;
        Assert.DoesNotContain(pg.Password, all);
        Assert.DoesNotContain(db, all);
        return (exit, JsonNode.Parse(stdout.ToString())!.AsObject(), all);
    }

    private static string Outcome(JsonObject execution) => execution["output"]!["outcome"]!.GetValue<string>();

    [Fact]
    public async Task Apply_then_no_changes_then_validate_only()
    {
        var db = await pg.NewDatabaseAsync();

        var (exit, applied, _) = await RunAsync(db, "--input", """{"action": "apply"}""");
        Assert.Equal(0, exit);
        Assert.Equal("SUCCEEDED", applied["status"]!.GetValue<string>());
        Assert.Equal("APPLIED", Outcome(applied));
        Assert.True(applied["output"]!["apply"]!["changed"]!.GetValue<bool>());
        Assert.True(applied["output"]!["verify_permissions"]!["success"]!.GetValue<bool>());
        Assert.Equal(applied["output"]!["plan"]!["plan_hash"]!.GetValue<string>(), applied["output"]!["apply"]!["plan_hash"]!.GetValue<string>());
        Assert.Contains(applied["history"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "ExecutionSucceeded");

        var (_, again, _) = await RunAsync(db, "--action", "apply");
        Assert.Equal("NO_CHANGES", Outcome(again));
        Assert.Null(again["output"]!["plan"]);

        var (validateExit, validated, _) = await RunAsync(await pg.NewDatabaseAsync(), "--action", "validate");
        Assert.Equal(0, validateExit);
        Assert.Equal("VALIDATED", Outcome(validated));
        Assert.False(validated["output"]!["validate"]!["schema_valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_apply_bound_to_another_plan_applies_nothing_and_one_bound_to_its_own_plan_applies()
    {
        var db = await pg.NewDatabaseAsync();
        var (_, planned, _) = await RunAsync(db, "--action", "plan");
        var hash = planned["output"]!["plan"]!["plan_hash"]!.GetValue<string>();

        foreach (var other in new[] { "0000deadbeef", "0000deadbeef" + new string('0', 52) })
        {
            var (staleExit, stale, _) = await RunAsync(db, "--input", $$"""{"action": "apply", "plan_hash": "{{other}}"}""");
            Assert.Equal(1, staleExit);
            Assert.Equal("Migration.PlanStale", stale["error"]!.GetValue<string>());
            Assert.Contains($"now give plan {hash}; nothing was applied", stale["cause"]!.GetValue<string>());
            Assert.DoesNotContain(stale["history"]!.AsArray(), e => e!["state"]?.GetValue<string>() == "Apply Migration");
            Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.users')::text"));
            Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regnamespace('knowitall_migrations')::text"));
        }

        var (exit, applied, _) = await RunAsync(db, "--action", "apply", "--plan-hash", hash);
        Assert.Equal(0, exit);
        Assert.Equal("APPLIED", Outcome(applied));
        Assert.Equal(hash, applied["output"]!["apply"]!["plan_hash"]!.GetValue<string>());
        Assert.Equal(hash, applied["output"]!["plan_hash"]!.GetValue<string>());
        Assert.NotNull(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.users')::text"));
    }

    [Fact]
    public async Task Dry_run_and_plan_stop_after_plan_and_change_nothing()
    {
        var db = await pg.NewDatabaseAsync();

        var (_, dry, _) = await RunAsync(db, "--action", "apply", "--dry-run");
        Assert.Equal("DRY_RUN", Outcome(dry));
        Assert.True(dry["output"]!["dry_run"]!.GetValue<bool>());
        var (_, plan, _) = await RunAsync(db, "--action", "plan");
        Assert.Equal("PLANNED", Outcome(plan));
        Assert.True(plan["output"]!["plan"]!["statement_count"]!.GetValue<int>() > 20);
        Assert.True(plan["output"]!["plan"]!["statements"]!.AsArray().Count <= DigestBuilder.MaxStatements);

        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.users')::text"));
        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regnamespace('knowitall_migrations')::text"));
    }

    [Fact]
    public async Task Failures_fail_the_execution_with_the_original_error_after_notifying()
    {
        var invalidDb = await pg.NewDatabaseAsync();
        var (invalidExit, invalid, _) = await RunAsync(invalidDb, "--input", """{"action": "drop"}""");
        Assert.Equal(1, invalidExit);
        Assert.Equal("Migration.InvalidInput", invalid["error"]!.GetValue<string>());
        Assert.DoesNotContain(invalid["history"]!.AsArray(), e => e!["type"]!.GetValue<string>()
            .StartsWith("LambdaFunction", StringComparison.Ordinal));

        using (var broken = TempSchema.Only("10_broken.sql", "CREATE TABLE t (id int,\n oops nonsense_type);"))
        {
            var (_, schemaError, _) = await RunAsync(invalidDb, "--action", "apply", "--schema", broken.Path);
            Assert.Equal("FAILED", schemaError["status"]!.GetValue<string>());
            Assert.Equal("Migration.SchemaError", schemaError["error"]!.GetValue<string>());
            Assert.Contains("10_broken.sql:2", schemaError["cause"]!.GetValue<string>());
            Assert.Contains(schemaError["history"]!.AsArray(), e => e!["state"]?.GetValue<string>() == "Notify Failure"
                && e["type"]!.GetValue<string>() == "TaskStateExited");
        }

        var withRows = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(withRows, SchemaEdits.SeedRows);
        using (var unsafeSchema = TempSchema.TutorWith("10_users.sql", "ALTER TABLE users ADD COLUMN country char(2) NOT NULL;"))
        {
            var (_, unsafeRun, _) = await RunAsync(withRows, "--action", "apply", "--schema", unsafeSchema.Path);
            Assert.Equal("Migration.UnsafeChange", unsafeRun["error"]!.GetValue<string>());
            Assert.Contains("users.country", unsafeRun["cause"]!.GetValue<string>());
        }

        var noLogin = await pg.NewDatabaseAsync();
        await PostgresFixture.ExecuteAsync(pg.AdminConnectionString, "ALTER ROLE tutor_app NOLOGIN");
        try
        {
            var (exit, missing, _) = await RunAsync(noLogin, "--action", "apply");
            Assert.Equal(1, exit);
            Assert.Equal("Migration.PermissionsMissing", missing["error"]!.GetValue<string>());
            Assert.Contains("tutor_app", missing["cause"]!.GetValue<string>());
        }
        finally
        {
            await PostgresFixture.ExecuteAsync(pg.AdminConnectionString, "ALTER ROLE tutor_app LOGIN");
        }
    }

    [Fact]
    public async Task An_apply_that_fails_on_the_data_fails_the_execution_and_leaves_no_invalid_index()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows +
            "INSERT INTO users (email, display_name) VALUES ('twin@example.com', 'User 1');");
        using (var desired = TempSchema.TutorWith("10_users.sql", "CREATE UNIQUE INDEX uq_users_display_name ON users (display_name);"))
        {
            var (exit, failed, _) = await RunAsync(db, "--action", "apply", "--schema", desired.Path);

            Assert.Equal(1, exit);
            Assert.Equal("Migration.ApplyFailed", failed["error"]!.GetValue<string>());
            Assert.Contains("uq_users_display_name", failed["cause"]!.GetValue<string>());
            Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
            Assert.Equal("failed",
                await PostgresFixture.ScalarAsync<string>(db, "SELECT outcome FROM knowitall_migrations.history ORDER BY id DESC LIMIT 1"));
        }
    }

    [Fact]
    public async Task The_statement_timeout_reaches_the_functions()
    {
        var db = await pg.NewDatabaseAsync();
        await PostgresFixture.ExecuteAsync(db,
            "CREATE TABLE big (id int, v text); INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 300000) g");
        using var schema = TempSchema.Only("10_big.sql", "CREATE TABLE big (id int, v text);\nCREATE INDEX big_v ON big (v);");

        var (exit, failed, _) = await RunAsync(db, "--action", "apply", "--schema", schema.Path, "--statement-timeout-ms", "5");

        Assert.Equal(1, exit);
        Assert.Equal("FAILED", failed["status"]!.GetValue<string>());
        Assert.Contains("statement timeout", failed["cause"]!.GetValue<string>());
        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.big_v')::text"));

        var (ok, applied, _) = await RunAsync(db, "--action", "apply", "--schema", schema.Path);
        Assert.Equal(0, ok);
        Assert.Equal("APPLIED", Outcome(applied));
        Assert.Equal("big_v", await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.big_v')::text"));
    }

    [Fact]
    public async Task A_mock_config_test_case_runs_without_a_database()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await KnowItAllCli.RunAsync(
            ["workflow", "run", "--mock-config", Path.Combine(Repo.Root, "statemachine", "mocks", "migration.mock.json"), "--test-case",
                "PermissionsMissing"], stdout, stderr);

        Assert.Equal(1, exit);
        Assert.Contains("✔ Verify Permissions", stdout.ToString());
        Assert.Contains("✘ Migration Failed", stdout.ToString());
        Assert.Contains("FAILED", stdout.ToString());
        Assert.Contains("Migration.PermissionsMissing", stdout.ToString());
        Assert.DoesNotContain("throwaway", stderr.ToString());
    }
}
