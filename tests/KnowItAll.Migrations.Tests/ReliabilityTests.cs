using KnowItAll.Migrations.Apply;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Model;
using Npgsql;
using Xunit.Abstractions;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// The reliability suite: fault injection at every statement of an apply, many simultaneous applies, hostile
/// identifiers. Small in the normal run; KNOWITALL_RELIABILITY_SCALE=large runs more applies at once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReliabilityTests(PostgresFixture pg, ITestOutputHelper output)
{
    private static bool Large => Environment.GetEnvironmentVariable("KNOWITALL_RELIABILITY_SCALE") == "large";

    /// <summary>An old schema with rows, and a change that has transactional statements and ones that run alone.</summary>
    private static SchemaSource NewSchema()
    {
        var files = Repo.TutorFiles();
        files.Add(new SchemaFile("schema/50_study_notes.sql", """
            CREATE TABLE study_notes (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id uuid NOT NULL REFERENCES users (id),
                note text NOT NULL
            );
            CREATE INDEX idx_study_notes_user ON study_notes (user_id);
            GRANT SELECT, INSERT ON study_notes TO tutor_app;
            """));
        SchemaEdits.Replace(files, "10_users.sql", "    last_login_at   timestamptz,\n",
            "    last_login_at   timestamptz,\n    locale varchar(10) NOT NULL DEFAULT 'en',\n    CONSTRAINT users_email_shape CHECK (position('@' " +
            "in email) > 1),\n");
        SchemaEdits.Replace(files, "10_users.sql", "CREATE INDEX idx_users_last_login",
            "CREATE INDEX idx_users_display_name ON users (display_name);\nCREATE INDEX idx_users_last_login");
        return SchemaEdits.Replace(files, "30_quiz_sessions.sql", "    paused_at           timestamptz,\n",
            "    paused_at           timestamptz,\n    reviewer_id uuid CONSTRAINT quiz_sessions_reviewer_fkey REFERENCES users (id),\n");
    }

    [Fact]
    public async Task Terminating_the_backend_at_every_statement_leaves_a_consistent_schema_and_a_rerun_converges()
    {
        var template = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(template, SchemaEdits.SeedRows);
        var templateName = new NpgsqlConnectionStringBuilder(template).Database!;
        var oldFingerprint = (await PostgresFixture.ReadLiveAsync(template)).Fingerprint();
        var plan = await Engines.For(template, NewSchema()).PlanAsync();
        var inTransaction = plan.Statements.Count(s => s.Transactional);
        Assert.True(inTransaction > 3 && plan.Statements.Count - inTransaction >= 3, "the change exercises both parts of an apply");

        var tried = 0;
        for (var point = 1; point <= plan.Statements.Count; point++)
        {
            var db = await CloneAsync(templateName);
            var engine = Engines.For(db, NewSchema());
            var progress = new KillAt(db, point);

            var error = await Assert.ThrowsAsync<MigrationException>(() => engine.ApplyAsync(new ApplyRequest(), progress));
            Assert.Equal(MigrationErrors.DatabaseUnavailable, error.ErrorName);
            Assert.True(progress.Killed, $"statement {point} was never reached");
            tried++;

            var after = await PostgresFixture.ReadLiveAsync(db);
            var outcomes = await HistoryOutcomesAsync(db);
            if (point <= inTransaction)
            {
                Assert.Equal(oldFingerprint, after.Fingerprint());
                Assert.Equal(["applied"], outcomes);
            }
            else
            {
                // The transaction committed; the statements that run alone are the only ones left, and the history says so.
                Assert.Equal(["applied", "applying"], outcomes);
                var remaining = (await engine.PlanAsync()).Statements;
                Assert.All(remaining, s => Assert.False(s.Transactional, $"after a kill at {point}, {s.ObjectName} is still pending"));
                // knowitall history tells the truth: nobody is applying; the run failed, naming what it did not do.
                var settled = (await engine.HistoryAsync())[0];
                Assert.Equal(HistoryOutcome.Failed, settled.Outcome);
                Assert.NotNull(settled.SettledAt);
                Assert.Contains("interrupted after its transaction committed", settled.Error);
                Assert.Contains(remaining[0].ObjectName, settled.Error);
            }

            await engine.ApplyAsync(new ApplyRequest()); // a failed re-run throws
            Assert.True((await engine.ValidateAsync()).SchemaValid, $"no convergence after a kill at statement {point}");
            Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
            Assert.Equal("applied", (await HistoryOutcomesAsync(db))[^1]);
        }
        output.WriteLine(
            $"fault injection: {tried} kill points of {plan.Statements.Count} statements ({inTransaction} in the transaction) tried, {tried} " +
            "converged");
    }

    [Fact]
    public async Task A_run_killed_after_its_last_statement_is_settled_as_applied_and_a_live_run_is_left_alone()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows);
        var engine = Engines.For(db, NewSchema());
        var applied = await engine.ApplyAsync(new ApplyRequest());
        Assert.Contains(applied.Plan.Statements, s => !s.Transactional);
        // What a kill between the last concurrent statement and the history update leaves behind.
        await PostgresFixture.ExecuteAsync(db,
            "UPDATE knowitall_migrations.history SET outcome = 'applying', finished_at = NULL WHERE outcome = 'applied' AND changes > 0");

        // While another session holds the run lock, the run is really in progress: shown as it is.
        await using (var holder = new NpgsqlConnection(db))
        {
            await holder.OpenAsync();
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended('knowitall:public', 0))", holder))
                await take.ExecuteNonQueryAsync();
            Assert.Equal(HistoryOutcome.Applying, (await engine.HistoryAsync())[0].Outcome);
            // Released here, not by closing the session: a backend ends after its connection closes, and the lock with it (a history
            // read in between saw the run still live once in CI).
            await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended('knowitall:public', 0))", holder))
                Assert.True((bool)(await release.ExecuteScalarAsync())!);
        }

        var history = await engine.HistoryAsync();
        Assert.Equal(HistoryOutcome.Applied, history[0].Outcome);
        Assert.NotNull(history[0].SettledAt);
        Assert.NotNull(history[0].FinishedAt);
        Assert.Null(history[0].Error);
        Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM knowitall_migrations.history WHERE outcome = 'applying'"));
    }

    [Fact]
    public async Task Terminating_the_backend_during_a_concurrent_index_build_leaves_no_invalid_index_after_the_rerun()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows);
        var engine = Engines.For(db, SchemaEdits.Replace("10_users.sql", "CREATE INDEX idx_users_last_login",
            "CREATE INDEX idx_users_display_name ON users (display_name);\nCREATE INDEX idx_users_last_login"));
        await using var snapshotHolder = new NpgsqlConnection(db);
        await snapshotHolder.OpenAsync();
        // An open transaction with a snapshot: CREATE INDEX CONCURRENTLY waits for it in the middle of its build.
        await using (var hold = new NpgsqlCommand("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM tree_nodes", snapshotHolder))
            await hold.ExecuteNonQueryAsync();

        var apply = engine.ApplyAsync(new ApplyRequest());
        var pid = 0;
        for (var i = 0; i < 200 && pid == 0; i++)
        {
            await Task.Delay(50);
            pid = await PostgresFixture.ScalarAsync<int>(db,
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'knowitall-migrate' AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND " +
                "wait_event_type IS NOT NULL");
        }
        Assert.NotEqual(0, pid);
        Assert.Equal(1L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        await PostgresFixture.ExecuteAsync(db, $"SELECT pg_terminate_backend({pid})");
        Assert.Equal(MigrationErrors.DatabaseUnavailable, (await Assert.ThrowsAsync<MigrationException>(() => apply)).ErrorName);
        await using (var release = new NpgsqlCommand("COMMIT", snapshotHolder)) await release.ExecuteNonQueryAsync();

        var rerun = await engine.ApplyAsync(new ApplyRequest());
        Assert.Equal(["idx_users_display_name"], rerun.IndexesCreated);
        Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        Assert.True((await engine.ValidateAsync()).SchemaValid);
    }

    [Fact]
    public async Task Many_simultaneous_applies_of_the_same_plan_apply_it_once()
    {
        var runs = Large ? 20 : 12;
        var db = await pg.NewDatabaseAsync();
        var plan = await Engines.For(db, Repo.TutorSchema()).PlanAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, runs).Select(_ =>
            Task.Run(() => Engines.For(db, Repo.TutorSchema()).ApplyAsync(new ApplyRequest(ExpectedPlanHash: plan.PlanHash)))));

        // Every apply returned (a failed one throws out of WhenAll); exactly one applied the plan.
        Assert.Single(results, r => r.Changed);
        Assert.Equal(plan.Statements.Count, results.Single(r => r.Changed).StatementsExecuted);
        Assert.Equal(1L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM knowitall_migrations.history WHERE changes > 0"));
        Assert.Equal(runs - 1,
            (int)await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM knowitall_migrations.history WHERE outcome = 'no_changes'"));
        output.WriteLine($"concurrency: {runs} simultaneous applies, {results.Length} succeeded, {results.Count(r => r.Changed)} applied changes");
    }

    [Fact]
    public async Task Hostile_identifiers_are_quoted_everywhere_and_round_trip()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        var engine = Engines.For(db, SchemaEdits.With("60_hostile.sql", """"
            CREATE TABLE "notes; DROP TABLE users; --" (
                "id"" OR 1=1" int PRIMARY KEY,
                "Mixed Case" text DEFAULT 'it''s; fine',
                CONSTRAINT "check'); DROP TABLE users; --" CHECK ("id"" OR 1=1" > 0)
            );
            CREATE INDEX "idx $1 ""quoted""" ON "notes; DROP TABLE users; --" ("Mixed Case");
            GRANT SELECT ("Mixed Case") ON "notes; DROP TABLE users; --" TO tutor_app;
            """"));

        var applied = await engine.ApplyAsync(new ApplyRequest());

        Assert.Contains("notes; DROP TABLE users; --", applied.TablesCreated);
        Assert.NotNull(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.users')::text"));
        Assert.True((await engine.ValidateAsync()).SchemaValid);
        Assert.False((await engine.PlanAsync()).HasChanges);
        Assert.True((await engine.VerifyPermissionsAsync()).Success);
    }

    private async Task<string> CloneAsync(string template)
    {
        var name = "f" + Guid.NewGuid().ToString("N")[..20];
        await PostgresFixture.CloseEngineConnectionsAsync(template);
        await PostgresFixture.ExecuteAsync(pg.AdminConnectionString, $"CREATE DATABASE {name} TEMPLATE {template}");
        return new NpgsqlConnectionStringBuilder(pg.AdminConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }


    private static async Task<List<string>> HistoryOutcomesAsync(string db)
    {
        var outcomes = new List<string>();
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT outcome FROM knowitall_migrations.history ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) outcomes.Add(reader.GetString(0));
        return outcomes;
    }

    /// <summary>Terminates the apply's backend just as it is about to run statement <c>point</c>.</summary>
    private sealed class KillAt(string db, int point) : IProgress<ApplyProgress>
    {
        public bool Killed { get; private set; }

        public void Report(ApplyProgress value)
        {
            if (value.Phase != "running" || value.Order != point || Killed) return;
            Killed = true;
            PostgresFixture.ExecuteAsync(db,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'knowitall-migrate' AND datname = " +
                "current_database()")
                .GetAwaiter().GetResult();
        }
    }
}
