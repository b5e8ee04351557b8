using System.Diagnostics;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Tests;

[Collection(PostgresCollection.Name)]
public sealed class SafetyTests(PostgresFixture pg)
{
    private const string StudyNotes = """
        CREATE TABLE study_notes (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_id uuid NOT NULL REFERENCES users (id),
            note text NOT NULL
        );
        """;

    /// <summary>The tutor schema plus a new table (first in the transaction) and a column on users (which needs its lock).</summary>
    private static SchemaSource Extended()
    {
        var files = Repo.TutorFiles();
        files.Add(new SchemaFile("schema/50_study_notes.sql", StudyNotes));
        return SchemaEdits.Replace(files, "10_users.sql", "    last_login_at   timestamptz,\n",
            "    last_login_at   timestamptz,\n    locale varchar(10) DEFAULT 'en',\n");
    }

    [Fact]
    public async Task Eight_concurrent_applies_all_succeed_and_one_history_row_records_the_changes()
    {
        var db = await pg.NewDatabaseAsync();
        var runs = Enumerable.Range(0, 8).Select(_ => Task.Run(() => Engines.For(db, Repo.TutorSchema()).ApplyAsync(new ApplyRequest()))).ToList();
        var results = await Task.WhenAll(runs);

        // Every apply returned (a failed one throws out of WhenAll); exactly one applied the changes.
        Assert.Single(results, r => r.Changed);
        Assert.Equal(1L,
            await PostgresFixture.ScalarAsync<long>(db,
                "SELECT count(*) FROM knowitall_migrations.history WHERE outcome = 'applied' AND changes > 0"));
        Assert.Equal(7L,
            await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM knowitall_migrations.history WHERE outcome = 'no_changes'"));
        Assert.True((await Engines.For(db, Repo.TutorSchema()).ValidateAsync()).SchemaValid);
    }

    [Fact]
    public async Task A_connection_killed_mid_apply_leaves_the_schema_as_before_and_a_rerun_converges()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        var engine = Engines.For(db, Extended(), new MigrationOptions { LockTimeout = TimeSpan.FromSeconds(60), RunBy = "tests" });
        var before = await PostgresFixture.ReadLiveAsync(db);

        await using var blocker = new NpgsqlConnection(db);
        await blocker.OpenAsync();
        await using (var hold = new NpgsqlCommand("BEGIN; SELECT count(*) FROM users", blocker)) await hold.ExecuteNonQueryAsync();

        var apply = engine.ApplyAsync(new ApplyRequest());
        var pid = await WaitForBlockedMigrationAsync(db);
        Assert.True(await PostgresFixture.ScalarAsync<bool>(db,
            "SELECT to_regclass('public.study_notes') IS NULL"), "the new table is not visible outside the apply's transaction");
        await PostgresFixture.ExecuteAsync(db, $"SELECT pg_terminate_backend({pid})");

        var error = await Assert.ThrowsAsync<MigrationException>(() => apply);
        Assert.Equal(MigrationErrors.DatabaseUnavailable, error.ErrorName);
        Assert.Equal(before.Fingerprint(), (await PostgresFixture.ReadLiveAsync(db)).Fingerprint());
        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.study_notes')::text"));
        Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db,
            "SELECT count(*) FROM knowitall_migrations.history WHERE outcome <> 'applied' OR id > 1"));

        await using (var release = new NpgsqlCommand("ROLLBACK", blocker)) await release.ExecuteNonQueryAsync();
        var rerun = await engine.ApplyAsync(new ApplyRequest());
        Assert.True(rerun.Changed);
        Assert.True((await engine.ValidateAsync()).SchemaValid);
    }

    [Fact]
    public async Task A_held_lock_makes_apply_fail_within_its_budget_without_blocking_readers_longer_than_the_lock_timeout()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows);
        var lockTimeout = TimeSpan.FromMilliseconds(400);
        var options =
            new MigrationOptions { LockTimeout = lockTimeout, MaxLockRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(100), RunBy = "tests" };
        var engine = Engines.For(db, Extended(), options);
        var before = (await PostgresFixture.ReadLiveAsync(db)).Fingerprint();

        await using var blocker = new NpgsqlConnection(db);
        await blocker.OpenAsync();
        await using (var hold = new NpgsqlCommand("BEGIN; SELECT count(*) FROM users", blocker)) await hold.ExecuteNonQueryAsync();

        using var stop = new CancellationTokenSource();
        var readerLatencies = ReadContinuouslyAsync(db, stop.Token);
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<MigrationException>(() => engine.ApplyAsync(new ApplyRequest()));
        watch.Stop();
        await stop.CancelAsync();
        var latencies = await readerLatencies;

        Assert.Equal(MigrationErrors.LockTimeout, error.ErrorName);
        Assert.Contains("users.locale", error.Message);
        Assert.Contains("3 times", error.Message);
        // Budget: three attempts of one lock wait each, plus 100 + 200 ms of backoff, plus planning.
        Assert.True(watch.Elapsed < lockTimeout * 3 + TimeSpan.FromMilliseconds(300) + TimeSpan.FromSeconds(3),
            $"apply gave up after {watch.Elapsed}");
        Assert.True(watch.Elapsed >= lockTimeout * 3, $"apply gave up after {watch.Elapsed}, before its three lock waits");
        Assert.NotEmpty(latencies);
        Assert.True(latencies.Max() < lockTimeout + TimeSpan.FromMilliseconds(300),
            $"a reader waited {latencies.Max().TotalMilliseconds:0} ms behind the migration (lock timeout {lockTimeout.TotalMilliseconds} ms)");
        Assert.Equal(before, (await PostgresFixture.ReadLiveAsync(db)).Fingerprint());
    }

    [Fact]
    public async Task A_plan_hash_that_no_longer_matches_is_refused_and_nothing_changes()
    {
        var db = await pg.NewDatabaseAsync();
        var engine = Engines.For(db, Repo.TutorSchema());
        var plan = await engine.PlanAsync();
        await PostgresFixture.ExecuteAsync(db, "CREATE EXTENSION citext");
        var before = (await PostgresFixture.ReadLiveAsync(db)).Fingerprint();

        var stale = await Assert.ThrowsAsync<MigrationException>(() => engine.ApplyAsync(new ApplyRequest(ExpectedPlanHash: plan.PlanHash)));
        Assert.Equal(MigrationErrors.PlanStale, stale.ErrorName);
        Assert.Contains(plan.PlanHash[..12], stale.Message);
        Assert.Equal(before, (await PostgresFixture.ReadLiveAsync(db)).Fingerprint());

        var malformed = await Assert.ThrowsAsync<MigrationException>(() => engine.ApplyAsync(new ApplyRequest(ExpectedPlanHash: "abc")));
        Assert.Equal(MigrationErrors.InvalidInput, malformed.ErrorName);

        var fresh = await engine.PlanAsync();
        Assert.True((await engine.ApplyAsync(new ApplyRequest(ExpectedPlanHash: fresh.PlanHash))).Changed);
    }


    private static async Task<int> WaitForBlockedMigrationAsync(string db)
    {
        for (var i = 0; i < 200; i++)
        {
            var pid = await PostgresFixture.ScalarAsync<int>(db,
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'knowitall-migrate' AND wait_event_type = 'Lock' AND datname = " +
                "current_database()");
            if (pid != 0) return pid;
            await Task.Delay(50);
        }
        throw new TimeoutException("the migration never blocked on the held lock");
    }

    private static async Task<List<TimeSpan>> ReadContinuouslyAsync(string db, CancellationToken stop)
    {
        var latencies = new List<TimeSpan>();
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            await using var read = new NpgsqlCommand("SELECT count(*) FROM users", connection);
            await read.ExecuteScalarAsync(CancellationToken.None);
            latencies.Add(watch.Elapsed);
            await Task.Delay(20, CancellationToken.None);
        }
        return latencies;
    }
}
