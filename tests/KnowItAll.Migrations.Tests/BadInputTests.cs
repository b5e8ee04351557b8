using KnowItAll.Migrations.Desired;

namespace KnowItAll.Migrations.Tests;

[Collection(PostgresParallelC.Name)]
public sealed class BadInputTests(PostgresFixture pg)
{
    public static TheoryData<string, string, string> BrokenFiles => new()
    {
        { "CREATE TABLE broken (\n    id int PRIMARY KEY,\n    name text NOT NUL\n);", "schema/95_broken.sql:3", "syntax error" },
        { "-- notes\nCREATE TABLE broken (id int REFERENCES nowhere (id));", "schema/95_broken.sql:2", "relation \"nowhere\" does not exist" },
        { "CREATE TABLE broken (id int);\n\nDROP TABLE users;", "schema/95_broken.sql:3", "other objects depend on it" },
        { "CREATE TABLE broken (id int);\nALTER TABLE users DROP COLUMN email CASCADE;", "schema/95_broken.sql:2",
            "CASCADE would remove objects schema/ does not name" },
        { "CREATE TABLE broken (id int);\nGRANT SELECT ON broken TO ghost_role;", "schema/95_broken.sql:2", "role \"ghost_role\" does not exist" },
        { "CREATE TABLE broken (note text DEFAULT 'unterminated);", "schema/95_broken.sql:1", "unterminated string literal" },
        { "CREATE TABLE broken (id int);\nSET search_path = elsewhere;", "schema/95_broken.sql:2", "would change what they name" },
        { "DELETE FROM users;", "schema/95_broken.sql:1", "not supported" },
        { "CREATE OPERATOR === (leftarg = int, rightarg = int, function = int4eq);", "schema/95_broken.sql:1", "not supported" },
        { "CREATE TABLE broken (id int);\nCREATE INDEX idx_broken ON broken (missing_column);", "schema/95_broken.sql:2",
            "column \"missing_column\" does not exist" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task A_broken_schema_file_names_file_line_and_cause_and_changes_nothing(string text, string location, string cause)
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        var engine = Engines.For(db, SchemaEdits.With("95_broken.sql", text));
        var fingerprint = (await Engines.For(db, Repo.TutorSchema()).ValidateAsync()).SchemaFingerprint;

        foreach (var call in new Func<Task>[] { () => engine.ValidateAsync(), () => engine.PlanAsync(), () => engine.ApplyAsync(new ApplyRequest()) })
        {
            var error = await Assert.ThrowsAsync<MigrationException>(call);
            Assert.Equal(MigrationErrors.SchemaError, error.ErrorName);
            Assert.StartsWith(location + ":", error.Message);
            Assert.Contains(cause, error.Message);
        }

        Assert.Equal(fingerprint, (await Engines.For(db, Repo.TutorSchema()).ValidateAsync()).SchemaFingerprint);
        Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'knowitall_scratch%'"));
        Assert.Equal(1L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM knowitall_migrations.history"));
    }

    [Fact]
    public void Bad_options_and_sources_are_named()
    {
        Assert.Contains("lock timeout", Assert.Throws<MigrationException>(() => new MigrationOptions { LockTimeout = TimeSpan.Zero }.Validate())
            .Message);
        Assert.Contains("target schema", Assert.Throws<MigrationException>(() => new MigrationOptions { TargetSchema = "Robert'); --" }.Validate())
            .Message);
        Assert.Contains("lock retries", Assert.Throws<MigrationException>(() => new MigrationOptions { MaxLockRetries = -1 }.Validate()).Message);
        Assert.Contains("does not exist", Assert.Throws<MigrationException>(() => SchemaSource.FromDirectory("/nonexistent/schema")).Message);
        var empty = Directory.CreateTempSubdirectory();
        try
        {
            Assert.Contains("has no .sql files", Assert.Throws<MigrationException>(() => SchemaSource.FromDirectory(empty.FullName)).Message);
        }
        finally
        {
            empty.Delete();
        }
    }

    [Fact]
    public async Task An_unreachable_or_refusing_database_is_a_named_error_without_the_secret()
    {
        var wrongPassword =
            new Npgsql.NpgsqlConnectionStringBuilder(await pg.NewDatabaseAsync()) { Password = "definitely-not-the-password" }.ConnectionString;
        var refused = await Assert.ThrowsAsync<MigrationException>(() => Engines.For(wrongPassword, Repo.TutorSchema()).ValidateAsync());
        Assert.Equal(MigrationErrors.DatabaseUnavailable, refused.ErrorName);
        Assert.DoesNotContain("definitely-not-the-password", refused.Message);

        var down = "Host=127.0.0.1;Port=1;Username=nobody;Password=s3cret-pass;Database=tutor;Timeout=2";
        var unreachable = await Assert.ThrowsAsync<MigrationException>(() => Engines.For(down, Repo.TutorSchema()).ApplyAsync(new ApplyRequest()));
        Assert.Equal(MigrationErrors.DatabaseUnavailable, unreachable.ErrorName);
        Assert.DoesNotContain("s3cret-pass", unreachable.Message);
    }
}
