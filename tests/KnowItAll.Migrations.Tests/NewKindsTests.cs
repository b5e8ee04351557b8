using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// Issue 13's acceptance on the tutor schema with rows: an enum, a view, a trigger function and trigger, comments,
/// row-level security and a policy are planned, applied and validated; in-place changes apply with nothing
/// destructive; removed objects stay, reported as drift.
/// </summary>
[Collection(PostgresParallelB.Name)]
public sealed class NewKindsTests(PostgresFixture pg)
{
    internal const string Kinds = """
        CREATE TYPE user_status AS ENUM ('invited', 'active');
        ALTER TABLE users ADD COLUMN status user_status NOT NULL DEFAULT 'active';
        CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
        CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
        CREATE VIEW active_learners AS SELECT id, email FROM users WHERE role = 'learner' AND is_active;
        COMMENT ON TABLE users IS 'Learners, tutors and admins';
        COMMENT ON VIEW active_learners IS 'Who can take a quiz';
        ALTER TABLE progress_records ENABLE ROW LEVEL SECURITY;
        CREATE POLICY progress_own ON progress_records FOR SELECT TO tutor_app USING (user_id IS NOT NULL);
        GRANT SELECT ON active_learners TO tutor_app;
        """;

    [Fact]
    public async Task New_kinds_are_planned_applied_and_validated_changed_in_place_and_never_removed()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows);
        var engine = Engines.For(db, SchemaEdits.With("95_kinds.sql", Kinds));

        var plan = await engine.PlanAsync();
        Assert.Empty(plan.Blocking);
        foreach (var kind in new[] { StatementKind.Enum, StatementKind.Column, StatementKind.Function, StatementKind.Trigger, StatementKind.View,
            StatementKind.Comment, StatementKind.RowSecurity, StatementKind.Policy, StatementKind.Grant })
            Assert.Contains(plan.Statements, s => s.Kind == kind);
        Assert.Contains(plan.Statements, s => s.Kind == StatementKind.RowSecurity && s.Hazards.Any(h => h.Code == HazardCode.RowLevelSecurity));
        await engine.ApplyAsync(new ApplyRequest(ExpectedPlanHash: plan.PlanHash));
        Assert.True((await engine.ValidateAsync()).SchemaValid);
        Assert.False((await engine.PlanAsync()).HasChanges);
        await PostgresFixture.ExecuteAsync(db, "UPDATE users SET display_name = 'Renamed' WHERE email = 'user1@example.com'");
        Assert.True(await PostgresFixture.ScalarAsync<bool>(db, "SELECT updated_at > created_at FROM users WHERE email = 'user1@example.com'"));
        var rows = await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM users");

        var changed = Kinds
            .Replace("('invited', 'active')", "('invited', 'active', 'suspended')", StringComparison.Ordinal)
            .Replace("NEW.updated_at := now();", "NEW.updated_at := clock_timestamp();", StringComparison.Ordinal)
            .Replace("SELECT id, email FROM users", "SELECT id, email, display_name FROM users", StringComparison.Ordinal)
            .Replace("DEFAULT 'active'", "DEFAULT 'invited'", StringComparison.Ordinal)
            .Replace("'Who can take a quiz'", "'Learners who can take a quiz'", StringComparison.Ordinal);
        var inPlace = Engines.For(db, SchemaEdits.With("95_kinds.sql", changed));
        var second = await inPlace.PlanAsync();
        Assert.Empty(second.Blocking);
        Assert.Equal(
            [StatementKind.EnumValue, StatementKind.Function, StatementKind.ColumnDefault, StatementKind.View, StatementKind.Comment],
            second.Statements.Select(s => s.Kind).ToArray());
        Assert.All(second.Statements, s => Assert.False(Planner.IsDestructive(s.Kind == StatementKind.Function ? "" : s.Sql), s.Sql));
        await inPlace.ApplyAsync(new ApplyRequest(ExpectedPlanHash: second.PlanHash));
        Assert.True((await inPlace.ValidateAsync()).SchemaValid);
        Assert.Equal("invited", await PostgresFixture.ScalarAsync<string>(db,
            "INSERT INTO users (email, display_name) VALUES ('new@example.com', 'New') RETURNING status::text"));
        Assert.Equal("suspended", await PostgresFixture.ScalarAsync<string>(db, "SELECT 'suspended'::user_status::text"));

        // Everything of the new kinds removed from schema/: drift, reported, nothing removed.
        var removed = Engines.For(db, Repo.TutorSchema());
        var validation = await removed.ValidateAsync();
        foreach (var kind in new[] { "enum", "function", "trigger", "view", "policy", "comment", "table", "column" })
            Assert.Contains(validation.Drift, d => d.Kind == kind);
        var none = await removed.PlanAsync();
        Assert.DoesNotContain(none.Statements, s => Planner.IsDestructive(s.Sql));
        await removed.ApplyAsync(new ApplyRequest());
        var live = await PostgresFixture.ReadLiveAsync(db);
        Assert.Contains(live.Enums, e => e.Name == "user_status" && e.Labels.SequenceEqual(["invited", "active", "suspended"]));
        Assert.Contains(live.Views, v => v.Name == "active_learners");
        Assert.Contains(live.Triggers, t => t.Name == "users_touch");
        Assert.Contains(live.Policies, p => p.Name == "progress_own");
        Assert.True(live.Table("progress_records")!.RowSecurity);
        Assert.Contains(live.Comments, c => c.Key == "TABLE public.users");
        Assert.Equal(rows + 1, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM users"));
    }
}
