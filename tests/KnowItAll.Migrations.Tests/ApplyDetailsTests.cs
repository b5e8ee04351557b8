using KnowItAll.Migrations.Desired;
using Moq;
using Npgsql;

namespace KnowItAll.Migrations.Tests;

[Collection(PostgresCollection.Name)]
public sealed class ApplyDetailsTests(PostgresFixture pg)
{
    private static SchemaSource WithDisplayNameIndex() =>
        SchemaEdits.Replace("10_users.sql", "CREATE INDEX idx_users_last_login",
            "CREATE INDEX idx_users_display_name ON users (display_name);\nCREATE INDEX idx_users_last_login");

    [Fact]
    public async Task An_invalid_index_left_by_a_failed_concurrent_build_is_removed_and_rebuilt()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows +
            "INSERT INTO users (email, display_name) VALUES ('twin@example.com', 'User 1');");
        var failed = await Assert.ThrowsAsync<PostgresException>(() =>
            PostgresFixture.ExecuteAsync(db, "CREATE UNIQUE INDEX CONCURRENTLY idx_users_display_name ON users (display_name)"));
        Assert.Equal("23505", failed.SqlState);
        Assert.False(await PostgresFixture.ScalarAsync<bool>(db,
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_users_display_name'::regclass"));
        var engine = Engines.For(db, WithDisplayNameIndex());

        var validation = await engine.ValidateAsync();
        Assert.Contains(validation.Missing, m => m.Name == "idx_users_display_name" && m.Detail!.Contains("invalid"));
        var statement = Assert.Single((await engine.PlanAsync()).Statements);
        Assert.False(statement.Transactional);

        var applied = await engine.ApplyAsync(new ApplyRequest());

        Assert.Equal(["idx_users_display_name"], applied.IndexesCreated);
        Assert.True(await PostgresFixture.ScalarAsync<bool>(db,
            "SELECT indisvalid AND NOT indisunique FROM pg_index WHERE indexrelid = 'idx_users_display_name'::regclass"));
        Assert.True((await engine.ValidateAsync()).SchemaValid);
    }

    [Fact]
    public async Task Cancelling_an_apply_mid_transaction_rolls_everything_back()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        var desired =
            SchemaEdits.With("50_study_notes.sql", "CREATE TABLE study_notes (id int PRIMARY KEY);\nALTER TABLE users ADD COLUMN locale text;");
        var engine = Engines.For(db, desired, new MigrationOptions { LockTimeout = TimeSpan.FromSeconds(30), RunBy = "tests" });
        await using var blocker = new NpgsqlConnection(db);
        await blocker.OpenAsync();
        await using (var hold = new NpgsqlCommand("BEGIN; SELECT count(*) FROM users", blocker)) await hold.ExecuteNonQueryAsync();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.ApplyAsync(new ApplyRequest(), null, deadline.Token));

        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.study_notes')::text"));
        // pg_locks shows every database of the server: only this one's advisory locks are the run lock this apply took.
        Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND " +
            "database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        await using (var release = new NpgsqlCommand("ROLLBACK", blocker)) await release.ExecuteNonQueryAsync();
        Assert.True((await engine.ApplyAsync(new ApplyRequest())).Changed);
    }

    [Fact]
    public async Task The_history_row_records_the_plan_outcome_and_the_clock_it_was_given()
    {
        var db = await pg.NewDatabaseAsync();
        var clock = new Mock<TimeProvider>();
        var now = new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);
        clock.Setup(c => c.GetUtcNow()).Returns(now);
        var engine = new MigrationEngine(NpgsqlDataSource.Create(db), Repo.TutorSchema(), new MigrationOptions { RunBy = "ci-pipeline" },
            clock.Object);

        var applied = await engine.ApplyAsync(new ApplyRequest());

        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand(
            "SELECT started_at, finished_at, outcome, plan_hash, changes, run_by, jsonb_array_length(statements), jsonb_array_length(timings) FROM " +
            "knowitall_migrations.history WHERE id = $1",
            connection);
        read.Parameters.Add(new NpgsqlParameter { Value = applied.HistoryId!.Value });
        await using var row = await read.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal(now, row.GetFieldValue<DateTimeOffset>(0));
        Assert.Equal(now, row.GetFieldValue<DateTimeOffset>(1));
        Assert.Equal("applied", row.GetString(2));
        Assert.Equal(applied.PlanHash, row.GetString(3));
        Assert.Equal(applied.StatementsExecuted, row.GetInt32(4));
        Assert.Equal("ci-pipeline", row.GetString(5));
        Assert.Equal(applied.StatementsExecuted, row.GetInt32(6));
        Assert.Equal(applied.StatementsExecuted, row.GetInt32(7));
        clock.Verify(c => c.GetUtcNow(), Times.AtLeast(2));
    }
}
