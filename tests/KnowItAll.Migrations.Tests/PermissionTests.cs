using KnowItAll.Migrations.Desired;

namespace KnowItAll.Migrations.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PermissionTests(PostgresFixture pg)
{
    [Fact]
    public async Task Every_granted_privilege_is_proven_and_exactly_the_missing_ones_are_reported()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        var engine = Engines.For(db, Repo.TutorSchema());

        var ok = await engine.VerifyPermissionsAsync();
        Assert.True(ok.Success);
        Assert.True(ok.CanLogin && ok.CanConnect && ok.HasSchemaUsage);
        Assert.Empty(ok.Missing);
        // 11 table privileges, 4 column privileges, 1 sequence, schema usage; plus login and connect.
        Assert.Equal(18, ok.Checked);

        await PostgresFixture.ExecuteAsync(db,
            "REVOKE UPDATE (title) ON tree_nodes FROM tutor_app; REVOKE INSERT ON progress_records FROM tutor_app");
        var missing = await engine.VerifyPermissionsAsync();
        Assert.False(missing.Success);
        Assert.Equal(
            [new PermissionCheck("column", "tree_nodes.title", "UPDATE", false), new PermissionCheck("table", "progress_records", "INSERT", false)],
            missing.Missing.OrderBy(m => m.Kind).ToList());

        var reapplied = await engine.ApplyAsync(new ApplyRequest());
        Assert.Equal(2, reapplied.GrantsApplied.Count);
        Assert.True((await engine.VerifyPermissionsAsync()).Success);
    }

    [Fact]
    public async Task A_role_that_cannot_log_in_or_does_not_exist_is_reported()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(pg.AdminConnectionString, "ALTER ROLE tutor_app NOLOGIN");
        try
        {
            var report = await Engines.For(db, Repo.TutorSchema()).VerifyPermissionsAsync();
            Assert.False(report.Success);
            Assert.False(report.CanLogin);
            Assert.Contains(new PermissionCheck("role", "tutor_app", "LOGIN", false), report.Missing);
        }
        finally
        {
            await PostgresFixture.ExecuteAsync(pg.AdminConnectionString, "ALTER ROLE tutor_app LOGIN");
        }

        var ghost = await Engines.For(db, Repo.TutorSchema(), new MigrationOptions { AppRole = "ghost_app", RunBy = "tests" })
            .VerifyPermissionsAsync();
        Assert.False(ghost.Success);
        Assert.False(ghost.RoleExists);
        Assert.Equal([new PermissionCheck("role", "ghost_app", "EXISTS", false)], ghost.Missing);
    }

    [Fact]
    public async Task Privileges_in_another_managed_schema_are_proven_with_its_usage()
    {
        var db = await pg.NewDatabaseAsync();
        var engine = Engines.For(db, SchemaSource.FromFiles(new SchemaFile("schema/billing.sql", """
            CREATE TABLE users (id bigint PRIMARY KEY);
            GRANT USAGE ON SCHEMA public TO tutor_app;
            CREATE SCHEMA billing;
            CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount numeric NOT NULL);
            GRANT USAGE ON SCHEMA billing TO tutor_app;
            GRANT SELECT, INSERT ON billing.invoices TO tutor_app;
            """)));
        await engine.ApplyAsync(new ApplyRequest());

        var ok = await engine.VerifyPermissionsAsync();
        Assert.True(ok.Success, string.Join(", ", ok.Missing));
        // Usage of both schemas, two table privileges; plus login and connect.
        Assert.Equal(6, ok.Checked);

        await PostgresFixture.ExecuteAsync(db, "REVOKE USAGE ON SCHEMA billing FROM tutor_app; REVOKE INSERT ON billing.invoices FROM tutor_app");
        var missing = await engine.VerifyPermissionsAsync();
        Assert.False(missing.Success);
        Assert.Equal(
            [new PermissionCheck("schema", "billing", "USAGE", false), new PermissionCheck("table", "billing.invoices", "INSERT", false)],
            missing.Missing.OrderBy(m => m.Kind).ToList());
    }
}
