using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Tests;

[Collection(PostgresParallelB.Name)]
public sealed class EvolutionTests(PostgresFixture pg)
{
    [Fact]
    public async Task Changes_to_tables_with_rows_build_indexes_concurrently_and_validate_constraints_separately()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows);
        var files = Repo.TutorFiles();
        SchemaEdits.Replace(files, "10_users.sql", "    last_login_at   timestamptz,\n",
            "    last_login_at   timestamptz,\n    locale varchar(10) NOT NULL DEFAULT 'en',\n    api_token uuid DEFAULT gen_random_uuid(),\n" +
            "    CONSTRAINT users_email_shape CHECK (position('@' in email) > 1),\n");
        SchemaEdits.Replace(files, "10_users.sql", "CREATE INDEX idx_users_last_login",
            "CREATE INDEX idx_users_display_name ON users (display_name);\nCREATE INDEX idx_users_last_login");
        var desired = SchemaEdits.Replace(files, "30_quiz_sessions.sql", "    paused_at           timestamptz,\n",
            "    paused_at           timestamptz,\n    reviewer_id uuid CONSTRAINT quiz_sessions_reviewer_fkey REFERENCES users (id),\n");
        var engine = Engines.For(db, desired);

        var plan = await engine.PlanAsync();

        var locale = Single(plan, StatementKind.Column, "users.locale");
        Assert.True(locale.Transactional);
        Assert.Equal(LockLevel.AccessExclusive, locale.Lock);
        Assert.Contains(locale.Hazards, h => h.Code == HazardCode.AccessExclusiveLock);
        Assert.DoesNotContain(locale.Hazards, h => h.Code == HazardCode.TableRewrite);
        Assert.Contains(Single(plan, StatementKind.Column, "users.api_token").Hazards, h => h.Code == HazardCode.TableRewrite);

        var index = Single(plan, StatementKind.Index, "idx_users_display_name");
        Assert.False(index.Transactional);
        Assert.Contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS", index.Sql);
        Assert.Contains(index.Hazards, h => h.Code == HazardCode.IndexBuild);

        var fk = Single(plan, StatementKind.Constraint, "quiz_sessions.quiz_sessions_reviewer_fkey");
        Assert.True(fk.Transactional);
        Assert.Contains("NOT VALID", fk.Sql);
        var validateFk = Single(plan, StatementKind.Validate, "quiz_sessions.quiz_sessions_reviewer_fkey");
        Assert.False(validateFk.Transactional);
        Assert.Contains(validateFk.Hazards, h => h.Code == HazardCode.ForeignKeyValidation);
        Assert.Contains(Single(plan, StatementKind.Validate, "users.users_email_shape").Hazards, h => h.Code == HazardCode.CheckValidation);
        Assert.True(plan.Statements.TakeWhile(s => s.Transactional).Count() == plan.Statements.Count(s => s.Transactional),
            "statements that run alone come after the transaction");

        var applied = await engine.ApplyAsync(new ApplyRequest(ExpectedPlanHash: plan.PlanHash));
        Assert.Equal(plan.Statements.Count, applied.StatementsExecuted);
        Assert.Equal(["quiz_sessions.reviewer_id", "users.api_token", "users.locale"], applied.ColumnsAdded.Order());

        var after = await engine.ValidateAsync();
        Assert.True(after.SchemaValid);
        Assert.Empty(after.Drift);
        Assert.False((await engine.PlanAsync()).HasChanges);
        Assert.Equal(2000L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM users WHERE locale = 'en' AND api_token IS NOT NULL"));
        Assert.True(await PostgresFixture.ScalarAsync<bool>(db,
            "SELECT bool_and(convalidated) FROM pg_constraint WHERE conname IN ('quiz_sessions_reviewer_fkey', 'users_email_shape')"));
        Assert.Equal("applied", await PostgresFixture.ScalarAsync<string>(db,
            $"SELECT outcome FROM knowitall_migrations.history WHERE id = {applied.HistoryId}"));
    }

    [Fact]
    public async Task A_not_null_column_without_default_on_a_table_with_rows_is_a_blocking_hazard_and_apply_changes_nothing()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows);
        var engine =
            Engines.For(db, SchemaEdits.Replace("10_users.sql", "    last_login_at   timestamptz,\n",
                "    last_login_at   timestamptz,\n    country char(2) NOT NULL,\n"));
        var before = (await engine.ValidateAsync()).SchemaFingerprint;

        var plan = await engine.PlanAsync();
        var blocking = Assert.Single(plan.Blocking);
        Assert.Equal(HazardCode.NotNullWithoutDefault, blocking.Code);
        Assert.Equal("users.country", blocking.ObjectName);
        Assert.Contains("DEFAULT", blocking.Message);
        Assert.DoesNotContain(plan.Statements, s => s.ObjectName == "users.country");

        var applyError = await Assert.ThrowsAsync<MigrationException>(() => engine.ApplyAsync(new ApplyRequest()));
        Assert.Equal(MigrationErrors.UnsafeChange, applyError.ErrorName);
        Assert.Contains("users.country", applyError.Message);
        Assert.Contains("NOT_NULL_WITHOUT_DEFAULT", applyError.Message);
        Assert.Equal(before, (await engine.ValidateAsync()).SchemaFingerprint);
    }

    [Fact]
    public async Task A_database_built_by_running_schema_files_directly_is_already_converged()
    {
        // As psql or another tool leaves it: every check and partial index holds PostgreSQL's first reading of the DDL.
        var db = await pg.NewDatabaseAsync();
        foreach (var file in Repo.TutorFiles()) await PostgresFixture.ExecuteAsync(db, file.Text);
        var engine = Engines.For(db, Repo.TutorSchema());

        var validation = await engine.ValidateAsync();
        Assert.True(validation.SchemaValid, string.Join("; ", validation.Missing.Select(m => $"{m.Kind} {m.Name}: {m.Detail}")));
        var plan = await engine.PlanAsync();
        Assert.True(!plan.HasChanges, "a directly built database is planned to change:\n" + string.Join("\n", plan.Statements.Select(s => s.Sql)));
    }

    [Fact]
    public async Task Drift_is_reported_and_left_alone()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(db, """
            CREATE TABLE legacy_notes (id int PRIMARY KEY, note text);
            ALTER TABLE users ADD COLUMN nickname text;
            CREATE INDEX idx_users_created ON users (created_at);
            GRANT DELETE ON users TO tutor_app;
            """);
        var engine = Engines.For(db, Repo.TutorSchema());

        var validation = await engine.ValidateAsync();
        Assert.True(validation.SchemaValid);
        Assert.Contains(validation.Drift, d => d is { Kind: "table", Name: "legacy_notes" });
        Assert.Contains(validation.Drift, d => d is { Kind: "column", Name: "users.nickname" });
        Assert.Contains(validation.Drift, d => d is { Kind: "index", Name: "idx_users_created" });
        Assert.Contains(validation.Drift, d => d.Kind == "privilege" && d.Name.StartsWith("DELETE on table users"));

        var plan = await engine.PlanAsync();
        Assert.False(plan.HasChanges);
        Assert.Equal(validation.Drift.Count, plan.Drift.Count);
        var applied = await engine.ApplyAsync(new ApplyRequest());
        Assert.False(applied.Changed);
        Assert.Equal(1L, await PostgresFixture.ScalarAsync<long>(db,
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'nickname'"));
        Assert.NotNull(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('legacy_notes')::text"));
        Assert.True(await PostgresFixture.ScalarAsync<bool>(db, "SELECT has_table_privilege('tutor_app', 'users', 'DELETE')"));
    }

    private static PlannedStatement Single(MigrationPlan plan, StatementKind kind, string name)
    {
        var match = plan.Statements.Where(s => s.Kind == kind && s.ObjectName == name).ToList();
        Assert.True(match.Count == 1,
            $"expected one {kind} statement for {name}; plan:\n{string.Join("\n", plan.Statements.Select(s => $"{s.Kind} {s.ObjectName}"))}");
        return match[0];
    }
}
