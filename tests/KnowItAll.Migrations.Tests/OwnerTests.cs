using KnowItAll.Migrations.Desired;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// The owner cases without a plan to apply (see <see cref="Acceptance.OwnerCases"/>): an owner schema/ does not state is never
/// compared, and a role that does not exist is refused with the role, the file and the line, before anything runs.
/// </summary>
[Collection(PostgresParallelB.Name)]
public sealed class OwnerTests(PostgresFixture pg)
{
    private const string Books =
        "CREATE TABLE books (id bigserial PRIMARY KEY, title text); CREATE FUNCTION book_count() RETURNS bigint LANGUAGE sql AS " +
        "$$ SELECT count(*) FROM books $$;";

    [Fact]
    public async Task An_owner_schema_does_not_state_is_never_compared()
    {
        var db = await pg.NewDatabaseAsync();
        await PostgresFixture.ExecuteAsync(db, Books + " ALTER TABLE books OWNER TO tutor_app; ALTER FUNCTION book_count() OWNER TO tutor_app;");
        var engine = Engines.For(db, SchemaSource.FromFiles(new SchemaFile("schema/books.sql", Books)));

        var validation = await engine.ValidateAsync();
        Assert.True(validation.SchemaValid);
        Assert.Empty(validation.Drift);
        Assert.DoesNotContain(validation.Objects, o => o.Kind == "owner");
        Assert.False((await engine.PlanAsync()).HasChanges);
        Assert.Equal("tutor_app",
            await PostgresFixture.ScalarAsync<string>(db, "SELECT relowner::regrole::text FROM pg_class WHERE relname = 'books'"));
    }

    [Fact]
    public async Task An_owner_that_differs_is_reported_with_both_roles()
    {
        var db = await pg.NewDatabaseAsync();
        await PostgresFixture.ExecuteAsync(db, Books);
        var engine = Engines.For(db,
            SchemaSource.FromFiles(new SchemaFile("schema/books.sql", Books + "\nALTER TABLE public.books OWNER TO tutor_app;")));

        var validation = await engine.ValidateAsync();
        Assert.False(validation.SchemaValid);
        var owner = Assert.Single(validation.Missing);
        Assert.Equal(("owner", "TABLE public.books"), (owner.Kind, owner.Name));
        var live = await PostgresFixture.ScalarAsync<string>(db, "SELECT current_user");
        Assert.Equal($"owner is {live}, schema/ states tutor_app", owner.Detail);
    }

    [Fact]
    public async Task A_role_that_does_not_exist_is_refused_naming_it_and_the_line()
    {
        var db = await pg.NewDatabaseAsync();
        await PostgresFixture.ExecuteAsync(db, Books);
        var before = (await PostgresFixture.ReadLiveAsync(db)).Canonical();
        var engine = Engines.For(db, SchemaSource.FromFiles(new SchemaFile("schema/books.sql",
            Books + "\n\nALTER TABLE public.books OWNER TO knowitall_nobody;\n")));

        var error = await Assert.ThrowsAsync<MigrationException>(() => engine.PlanAsync());
        Assert.Equal(MigrationErrors.SchemaError, error.ErrorName);
        Assert.StartsWith("schema/books.sql:3: role knowitall_nobody does not exist", error.Message);
        Assert.Equal(before, (await PostgresFixture.ReadLiveAsync(db)).Canonical());
    }
}
