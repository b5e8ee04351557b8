using KnowItAll.Migrations.Planning;
using Npgsql;

namespace KnowItAll.Migrations.Tests;

[Collection(PostgresParallelC.Name)]
public sealed class RoundTripTests(PostgresFixture pg)
{
    [Fact]
    public async Task Tutor_schema_round_trips_every_object_kind()
    {
        var db = await pg.NewDatabaseAsync();
        var engine = Engines.For(db, Repo.TutorSchema());

        var before = await engine.ValidateAsync();
        Assert.False(before.SchemaValid);
        Assert.Contains(before.Missing, o => o is { Kind: "table", Name: "quiz_sessions" });
        Assert.Contains(before.Missing, o => o is { Kind: "extension", Name: "citext" });

        var plan = await engine.PlanAsync();
        Assert.True(plan.HasChanges);
        foreach (var kind in new[] { StatementKind.Extension, StatementKind.Sequence, StatementKind.Table, StatementKind.SequenceOwner,
            StatementKind.Constraint, StatementKind.Index, StatementKind.Grant })
            Assert.Contains(plan.Statements, s => s.Kind == kind);
        Assert.Equal(["progress_records", "quiz_sessions", "tree_nodes", "users"], plan.Summary.TablesCreated.Order());
        Assert.All(plan.Statements, s => Assert.True(s.Transactional, $"{s.ObjectName} should run in the transaction on an empty database"));

        var applied = await engine.ApplyAsync(new ApplyRequest(ExpectedPlanHash: plan.PlanHash));
        Assert.True(applied.Changed);
        Assert.Equal(plan.Statements.Count, applied.StatementsExecuted);
        Assert.NotNull(applied.HistoryId);
        Assert.Contains("quiz_sessions", applied.TablesCreated);
        Assert.Contains("users", applied.TablesCreated);

        var after = await engine.ValidateAsync();
        Assert.True(after.SchemaValid, string.Join(", ", after.Missing.Select(m => $"{m.Kind} {m.Name}")));
        Assert.Empty(after.Drift);
        Assert.All(after.Objects, o => Assert.Equal(ObjectStatus.Present, o.Status));

        var again = await engine.PlanAsync();
        Assert.False(again.HasChanges, string.Join("\n", again.Statements.Select(s => s.Sql)));

        var second = await engine.ApplyAsync(new ApplyRequest());
        Assert.False(second.Changed);
        Assert.Equal(0, second.StatementsExecuted);

        // The data model works as the tutor app uses it: rows go in, the rules hold.
        await PostgresFixture.ExecuteAsync(db, """
            INSERT INTO users (email, display_name) VALUES ('Ada@Example.com', 'Ada');
            INSERT INTO tree_nodes (node_type, title) VALUES ('domain', 'AWS');
            INSERT INTO quiz_sessions (user_id, domain_id, total_terms, difficulty_level)
              SELECT u.id, t.id, 10, 'beginner' FROM users u, tree_nodes t;
            """);
        Assert.Equal(1000L, await PostgresFixture.ScalarAsync<long>(db, "SELECT session_number FROM quiz_sessions"));
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() =>
            PostgresFixture.ExecuteAsync(db, "INSERT INTO users (email, display_name) VALUES ('ada@example.COM', 'Ada 2')"));
        Assert.Equal("23505", duplicate.SqlState);
    }

    [Fact]
    public async Task Planning_changes_nothing()
    {
        var db = await pg.NewDatabaseAsync();
        var engine = Engines.For(db, Repo.TutorSchema());
        var fingerprint = (await engine.ValidateAsync()).SchemaFingerprint;

        var plan = await engine.PlanAsync();

        Assert.True(plan.HasChanges);
        Assert.Equal(fingerprint, (await engine.ValidateAsync()).SchemaFingerprint);
        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.users')::text"));
        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regnamespace('knowitall_migrations')::text"));
    }
}
