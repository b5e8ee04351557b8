using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// Declared removals and renames on the tutor schema with rows: a declared DROP COLUMN is refused without the opt-in,
/// naming the column and the values it would delete, and with it drops that column only; a declared RENAME keeps the
/// data; a column merely left out is never dropped, even when deleting data is allowed; malformed declarations are
/// errors naming file and line.
/// </summary>
[Collection(PostgresParallelA.Name)]
public sealed class RetirementTests(PostgresFixture pg)
{
    private const string Fingerprint = """
        SELECT md5(string_agg(id::text || email || display_name || coalesce(external_id, '') || is_active::text, ',' ORDER BY id))
               || (SELECT count(*) FROM quiz_sessions) || (SELECT count(*) FROM tree_nodes) FROM users
        """;

    private static readonly MigrationOptions AllowDeletes =
        new() { RunBy = "tests", AllowHazards = new HashSet<HazardCode> { HazardCode.DeletesData } };

    /// <summary>The tutor schema applied, 2,000 users (137 of them with a last login), 500 quiz sessions.</summary>
    private async Task<string> TutorWithRowsAsync()
    {
        var db = await pg.NewDatabaseAsync();
        await Engines.For(db, Repo.TutorSchema()).ApplyAsync(new ApplyRequest());
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows +
            "UPDATE users SET last_login_at = now() WHERE id IN (SELECT id FROM users ORDER BY email LIMIT 137);");
        return db;
    }

    private static SchemaSource With(string file, string text) => SchemaSource.FromFiles([.. Repo.TutorFiles(), new SchemaFile(file, text)]);

    [Fact]
    public async Task A_declared_drop_column_is_refused_without_the_opt_in_and_dropped_with_it()
    {
        var db = await TutorWithRowsAsync();
        var before = await PostgresFixture.ScalarAsync<string>(db, Fingerprint);
        var source = With("schema/95_retire.sql", "ALTER TABLE users DROP COLUMN last_login_at;");

        var refusing = Engines.For(db, source);
        var plan = await refusing.PlanAsync();
        var blocked = Assert.Single(plan.Blocking);
        Assert.Equal(HazardCode.DeletesData, blocked.Code);
        Assert.Equal("users.last_login_at", blocked.ObjectName);
        Assert.Contains("drops column users.last_login_at", blocked.Message);
        Assert.Contains("deleting 137 non-null values", blocked.Message);
        var drop = Assert.Single(plan.Statements, s => s.Kind == StatementKind.Drop);
        Assert.Equal(137, Assert.Single(drop.Hazards).Amount);
        var refused = await Assert.ThrowsAsync<MigrationException>(() => refusing.ApplyAsync(new ApplyRequest()));
        Assert.Equal(MigrationErrors.UnsafeChange, refused.ErrorName);
        Assert.Contains("users.last_login_at", refused.Message);
        Assert.Contains("137 non-null values", refused.Message);
        Assert.Equal(137, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(last_login_at) FROM users"));
        Assert.False((await refusing.ValidateAsync()).SchemaValid);

        var allowing = Engines.For(db, source, AllowDeletes);
        var allowed = await allowing.PlanAsync();
        Assert.Empty(allowed.Blocking);
        Assert.Equal(plan.PlanHash, allowed.PlanHash);
        var applied = await allowing.ApplyAsync(new ApplyRequest(allowed.PlanHash));
        Assert.True(applied.Changed);
        Assert.Equal(0, await PostgresFixture.ScalarAsync<long>(db,
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'last_login_at' AND NOT attisdropped"));
        Assert.Equal(before, await PostgresFixture.ScalarAsync<string>(db, Fingerprint));
        Assert.True((await allowing.ValidateAsync()).SchemaValid);
        Assert.False((await allowing.PlanAsync()).HasChanges);
        Assert.False((await allowing.ApplyAsync(new ApplyRequest())).Changed);
        var run = (await allowing.HistoryAsync()).First(r => r.Outcome == KnowItAll.Migrations.Apply.HistoryOutcome.Applied && r.Changes > 0);
        Assert.Equal(137, run.DataDeleted);
    }

    [Fact]
    public async Task Approving_the_exact_plan_is_the_opt_in_and_only_for_that_plan()
    {
        var db = await TutorWithRowsAsync();
        var engine = Engines.For(db, With("schema/95_retire.sql", "ALTER TABLE users DROP COLUMN last_login_at;"));
        var plan = await engine.PlanAsync();

        var other = await Assert.ThrowsAsync<MigrationException>(() => engine.ApplyAsync(new ApplyRequest(new string('a', 64), Approved: true)));
        Assert.Equal(MigrationErrors.PlanStale, other.ErrorName);
        Assert.Equal(137, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(last_login_at) FROM users"));

        Assert.True((await engine.ApplyAsync(new ApplyRequest(plan.PlanHash, Approved: true))).Changed);
        Assert.False((await engine.PlanAsync()).HasChanges);
    }

    [Fact]
    public async Task A_declared_rename_keeps_the_data_whether_schema_creates_the_old_or_the_new_name()
    {
        var db = await TutorWithRowsAsync();
        var names = await PostgresFixture.ScalarAsync<string>(db, "SELECT md5(string_agg(display_name, ',' ORDER BY id)) FROM users");
        var files = Repo.TutorFiles();
        // schema/ edited to the new name, the rename declared beside it.
        var users = files.FindIndex(f => f.Name.EndsWith("10_users.sql", StringComparison.Ordinal));
        files[users] = files[users] with
        {
            Text = files[users].Text.Replace("display_name    varchar", "full_name       varchar", StringComparison.Ordinal)
                .Replace("btrim(display_name)", "btrim(full_name)", StringComparison.Ordinal),
        };
        files.Add(new SchemaFile("schema/95_rename.sql", "ALTER TABLE users RENAME COLUMN display_name TO full_name;"));
        var engine = Engines.For(db, SchemaSource.FromFiles([.. files]));

        var plan = await engine.PlanAsync();
        var rename = Assert.Single(plan.Statements);
        Assert.Equal(StatementKind.Rename, rename.Kind);
        Assert.Equal("ALTER TABLE \"public\".\"users\" RENAME COLUMN \"display_name\" TO \"full_name\"", rename.Sql);
        Assert.Equal(HazardCode.RenameBreaksOldName, Assert.Single(rename.Hazards).Code);
        Assert.Empty(plan.Blocking);
        await engine.ApplyAsync(new ApplyRequest(plan.PlanHash));

        Assert.Equal(names, await PostgresFixture.ScalarAsync<string>(db, "SELECT md5(string_agg(full_name, ',' ORDER BY id)) FROM users"));
        Assert.True((await engine.ValidateAsync()).SchemaValid);
        Assert.False((await engine.PlanAsync()).HasChanges);
    }

    [Fact]
    public async Task A_column_merely_left_out_is_never_dropped_even_when_deleting_data_is_allowed()
    {
        var db = await TutorWithRowsAsync();
        var files = Repo.TutorFiles();
        var users = files.FindIndex(f => f.Name.EndsWith("10_users.sql", StringComparison.Ordinal));
        files[users] = files[users] with
        {
            Text = string.Join('\n', files[users].Text.Split('\n').Where(l => !l.Contains("last_login", StringComparison.Ordinal))),
        };
        var engine = Engines.For(db, SchemaSource.FromFiles([.. files]), AllowDeletes);

        var plan = await engine.PlanAsync();
        Assert.DoesNotContain(plan.Statements, s => s.Kind == StatementKind.Drop || Planner.IsDestructive(s.Sql));
        Assert.Contains(plan.Drift, d => d is { Kind: "column", Name: "users.last_login_at" });
        await engine.ApplyAsync(new ApplyRequest());
        Assert.Equal(137, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(last_login_at) FROM users"));
    }

    [Theory]
    [InlineData("DROP TABLE users CASCADE;", "CASCADE would remove objects schema/ does not name")]
    [InlineData("DROP FUNCTION user_count;", "needs its argument types in parentheses")]
    [InlineData("DROP INDEX CONCURRENTLY idx_users_last_login;", "the engine decides how it is dropped")]
    [InlineData("ALTER TABLE users DROP COLUMN last_login_at; ALTER TABLE users ADD COLUMN last_login_at timestamptz;",
        "creates column users.last_login_at again")]
    [InlineData("ALTER TABLE users RENAME COLUMN nickname TO alias;", "declared renamed to alias, which schema/ does not define")]
    [InlineData("ALTER TABLE other.users DROP COLUMN last_login_at;", "schema files describe the schema 'public' only")]
    [InlineData("REVOKE GRANT OPTION FOR SELECT ON users FROM tutor_app;", "REVOKE GRANT OPTION FOR is not a declaration")]
    [InlineData("ALTER TABLE users RENAME CONSTRAINT users_pkey TO users_pk;", "renaming a constraint is not declared here")]
    public async Task A_malformed_or_contradictory_declaration_is_an_error_naming_file_and_line(string declaration, string why)
    {
        var db = await pg.NewDatabaseAsync();
        var engine = Engines.For(db, With("schema/95_retire.sql", "\n" + declaration));

        var error = await Assert.ThrowsAsync<MigrationException>(() => engine.PlanAsync());
        Assert.Equal(MigrationErrors.SchemaError, error.ErrorName);
        Assert.Contains("schema/95_retire.sql:2", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public async Task The_guard_lets_through_a_drop_only_for_an_object_a_declaration_names()
    {
        var users =
            new TableModel("users", [new ColumnModel("id", 1, "integer", true, null, '\0', '\0', null),
                new ColumnModel("legacy", 2, "text", false, null, '\0', '\0', null)], true);
        var live = new SchemaModel("public", [], [], [users], [], [], [], new HashSet<string>());
        var declared = new Declaration(DeclarationAction.Drop, "column", "legacy", "users", null, "schema/95_retire.sql:1");
        Task<IReadOnlyDictionary<string, TableSize>> Sizes(IReadOnlyCollection<string> _) =>
            Task.FromResult<IReadOnlyDictionary<string, TableSize>>(new Dictionary<string, TableSize>());
        SchemaDiff Diff()
        {
            var diff = new SchemaDiff();
            diff.Retirements.Add(new Retirement(declared, []));
            return diff;
        }

        var withDeclaration = live with { Tables = [users with { Columns = [users.Columns[0]] }], Declarations = [declared] };
        var plan = await Planner.PlanAsync(withDeclaration, "d", live, "l", Diff(), AllowDeletes, Sizes);
        Assert.Equal("ALTER TABLE \"public\".\"users\" DROP COLUMN IF EXISTS \"legacy\"", Assert.Single(plan.Statements).Sql);

        // The same removal reaching the planner without the declaration in the desired model is refused.
        var refused = await Assert.ThrowsAsync<MigrationException>(() => Planner.PlanAsync(withDeclaration with { Declarations = [] }, "d", live, "l",
            Diff(), AllowDeletes, Sizes));
        Assert.Equal(MigrationErrors.UnsafeChange, refused.ErrorName);
        Assert.Contains("refusing to plan a destructive statement for users.legacy", refused.Message);
    }
}
