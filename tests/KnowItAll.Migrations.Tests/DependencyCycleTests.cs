using KnowItAll.Migrations.Desired;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// Objects of schema/ that need each other in a way no order of the planned statements can satisfy: the plan is refused with a
/// SchemaError naming the objects of the cycle, and nothing is changed.
/// </summary>
[Collection(PostgresParallelC.Name)]
public sealed class DependencyCycleTests(PostgresFixture pg)
{
    [Fact]
    public async Task A_table_whose_default_calls_a_function_of_its_own_row_type_is_a_cycle_named_in_the_error()
    {
        var db = await pg.NewDatabaseAsync();
        try
        {
            // PostgreSQL takes it in steps (the default set after the function); the plan creates a table with its defaults.
            var engine = Engines.For(db, SchemaSource.FromFiles(new SchemaFile("schema/new.sql",
                "CREATE TABLE items (id int, label text); " +
                "CREATE FUNCTION label_of(items) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT $1.id::text $$; " +
                "ALTER TABLE items ALTER COLUMN label SET DEFAULT label_of(NULL::items);")));
            var error = await Assert.ThrowsAsync<MigrationException>(() => engine.PlanAsync());
            Assert.Equal(MigrationErrors.SchemaError, error.ErrorName);
            Assert.Contains("need each other in a cycle", error.Message);
            Assert.Matches(@"function public\.label_of\([^)]*\) needs table public\.items, which needs function public\.label_of\(", error.Message);
            await Assert.ThrowsAsync<MigrationException>(() => engine.ApplyAsync(new ApplyRequest()));
            Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM pg_class WHERE relname = 'items'"));
        }
        finally
        {
            await pg.DropDatabaseAsync(db);
        }
    }
}
