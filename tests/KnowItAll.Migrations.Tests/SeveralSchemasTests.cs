using KnowItAll.Migrations.Desired;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// Several managed schemas (issue 18 item 1) beyond what the acceptance cases show: validate names what is missing in
/// another schema qualified, a schema schema/ does not create is never read or touched, and the compiled model carries
/// every managed schema.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SeveralSchemasTests(PostgresFixture pg)
{
    private const string Billing = """
        CREATE TABLE users (id bigint PRIMARY KEY);
        CREATE SCHEMA billing;
        CREATE TABLE billing.invoices (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
        COMMENT ON SCHEMA billing IS 'invoices';
        """;

    private static SchemaSource Files(string text) => SchemaSource.FromFiles(new SchemaFile("schema/billing.sql", text));

    [Fact]
    public async Task Validate_names_a_missing_schema_and_its_objects_qualified_and_leaves_unmanaged_schemas_alone()
    {
        var db = await pg.NewDatabaseAsync();
        await PostgresFixture.ExecuteAsync(db,
            "CREATE SCHEMA legacy; CREATE TABLE legacy.old_invoices (id int); INSERT INTO legacy.old_invoices VALUES (1)");
        var engine = Engines.For(db, Files(Billing));

        var before = await engine.ValidateAsync();
        Assert.False(before.SchemaValid);
        Assert.Contains(before.Missing, m => m is { Kind: "schema", Name: "billing" });
        Assert.Contains(before.Missing, m => m is { Kind: "table", Name: "billing.invoices" });
        Assert.Contains(before.Missing, m => m is { Kind: "table", Name: "users" });
        Assert.DoesNotContain(before.Objects.Concat(before.Drift.Select(d => new ObjectStatus(d.Kind, d.Name, ObjectState.Present))),
            o => o.Name.Contains("legacy", StringComparison.Ordinal) || o.Name.Contains("old_invoices", StringComparison.Ordinal));

        var plan = await engine.PlanAsync();
        Assert.Equal("CREATE SCHEMA IF NOT EXISTS \"billing\"", plan.Statements[0].Sql);
        Assert.Contains(plan.Statements, s => s.ObjectName == "billing.invoices");
        Assert.DoesNotContain(plan.Statements, s => s.Sql.Contains("legacy", StringComparison.Ordinal));
        await engine.ApplyAsync(new ApplyRequest(ExpectedPlanHash: plan.PlanHash));

        var after = await engine.ValidateAsync();
        Assert.True(after.SchemaValid, string.Join(", ", after.Missing.Select(m => $"{m.Kind} {m.Name}")));
        Assert.Empty(after.Drift);
        Assert.Equal("invoices", await PostgresFixture.ScalarAsync<string>(db, "SELECT obj_description('billing'::regnamespace, 'pg_namespace')"));
        Assert.Equal(1L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM legacy.old_invoices"));
        Assert.False((await engine.PlanAsync()).HasChanges);
    }

    [Fact]
    public async Task The_compiled_model_carries_every_managed_schema_and_plans_like_the_files()
    {
        var db = await pg.NewDatabaseAsync();
        var model = await DesiredAsync(db, Billing);
        Assert.Equal(["billing"], model.Schemas.Select(s => s.Schema));
        var path = Path.Combine(Path.GetTempPath(), $"knowitall-several-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllBytesAsync(path, CompiledModelFile.Serialize(CompiledModelFile.Compile(model, Files(Billing), 15)));
            var read = CompiledModelFile.Read(path);
            Assert.Equal(model.Fingerprint(), read.Model.Fingerprint());
            Assert.Equal(["invoices"], read.Model.Schemas.Single().Tables.Select(t => t.Name));
        }
        finally
        {
            File.Delete(path);
        }
        // A change in another schema changes the fingerprint of the whole desired model.
        var edited = await DesiredAsync(db, Billing.Replace("'invoices'", "'bills'", StringComparison.Ordinal));
        Assert.NotEqual(model.Fingerprint(), edited.Fingerprint());
    }

    private static async Task<Model.SchemaModel> DesiredAsync(string db, string text)
    {
        await using var connection = new Npgsql.NpgsqlConnection(db);
        await connection.OpenAsync();
        return await DesiredSchemaLoader.LoadAsync(connection, Files(text), new MigrationOptions { RunBy = "tests" }, CancellationToken.None);
    }
}
