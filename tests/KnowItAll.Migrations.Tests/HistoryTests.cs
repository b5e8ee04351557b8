using KnowItAll.Migrations.Apply;

namespace KnowItAll.Migrations.Tests;

/// <summary>A run killed after its transaction committed leaves its history row "applying"; the next run settles it from the catalog.</summary>
[Collection(PostgresParallelA.Name)]
public sealed class HistoryTests(PostgresFixture pg)
{
    [Fact]
    public async Task An_applying_row_left_by_a_kill_after_commit_is_settled_by_the_next_run_from_what_the_catalog_shows()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows);
        var engine = Engines.For(db, SchemaEdits.With("95_index.sql", "CREATE INDEX idx_users_display_name ON users (display_name);"));
        var applied = await engine.ApplyAsync(new ApplyRequest());
        Assert.Contains(applied.Plan.Statements, s => !s.Transactional);

        // As if the process died after the commit, before the concurrent build: the row says applying, the index is not there.
        await PostgresFixture.ExecuteAsync(db,
            $"UPDATE knowitall_migrations.history SET outcome = 'applying', finished_at = NULL WHERE id = {applied.HistoryId}; DROP INDEX " +
            "idx_users_display_name");
        var rerun = await engine.ApplyAsync(new ApplyRequest());
        Assert.True(rerun.Changed);
        Assert.Equal("failed",
            await PostgresFixture.ScalarAsync<string>(db, $"SELECT outcome FROM knowitall_migrations.history WHERE id = {applied.HistoryId}"));
        Assert.Contains("were not done",
            await PostgresFixture.ScalarAsync<string>(db, $"SELECT error FROM knowitall_migrations.history WHERE id = {applied.HistoryId}"));
        Assert.NotNull(await PostgresFixture.ScalarAsync<DateTime?>(db,
            $"SELECT finished_at FROM knowitall_migrations.history WHERE id = {applied.HistoryId}"));

        // As if it died after everything ran but before the row was completed: the catalog shows the desired schema,
        // and reading the history (no run holds the lock) settles it.
        await PostgresFixture.ExecuteAsync(db,
            $"UPDATE knowitall_migrations.history SET outcome = 'applying', finished_at = NULL WHERE id = {rerun.HistoryId}");
        var history = await engine.HistoryAsync(5);
        Assert.Equal(HistoryOutcome.Applied, history.Single(r => r.Id == rerun.HistoryId).Outcome);
        Assert.Equal(HistoryOutcome.Failed, history.Single(r => r.Id == applied.HistoryId).Outcome);
        Assert.Equal("applied",
            await PostgresFixture.ScalarAsync<string>(db, $"SELECT outcome FROM knowitall_migrations.history WHERE id = {rerun.HistoryId}"));
        Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM knowitall_migrations.history WHERE outcome = 'applying'"));
    }
}
