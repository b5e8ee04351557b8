using System.Text.Json;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;

namespace KnowItAll.Workflow.Cli.Tests;

/// <summary><c>knowitall schema init</c>: the first schema/ of an existing database, which describes it exactly.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SchemaInitTests(PostgresFixture pg)
{
    /// <summary>Beside the tutor schema: a type, a serial, a quoted name, a function, a trigger, a view, a policy, comments and grants.</summary>
    private const string Extras = """
        CREATE TYPE level AS ENUM ('low', 'high');
        CREATE TABLE "Order Lines" (id serial PRIMARY KEY, user_id uuid REFERENCES users (id), lvl level DEFAULT 'low', note text,
            updated_at timestamptz NOT NULL DEFAULT now());
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
        CREATE FUNCTION line_count() RETURNS bigint LANGUAGE sql STABLE AS $$SELECT count(*) FROM public."Order Lines"$$;
        CREATE FUNCTION user_label(u users) RETURNS text LANGUAGE sql AS $$SELECT u.display_name || ' <' || u.email || '>'$$;
        CREATE TRIGGER lines_touch BEFORE UPDATE ON "Order Lines" FOR EACH ROW EXECUTE FUNCTION touch();
        CREATE VIEW active_users AS SELECT id, email FROM users WHERE is_active;
        ALTER TABLE "Order Lines" ENABLE ROW LEVEL SECURITY;
        CREATE POLICY lines_read ON "Order Lines" FOR SELECT TO tutor_app USING (lvl = 'low');
        COMMENT ON TABLE "Order Lines" IS 'what was ordered';
        COMMENT ON COLUMN users.email IS 'sign-in address';
        COMMENT ON INDEX idx_users_last_login IS 'recent sign-ins';
        GRANT SELECT ON active_users TO tutor_app;
        GRANT SELECT ON "Order Lines" TO tutor_app;
        GRANT EXECUTE ON FUNCTION line_count() TO tutor_app;
        """;

    [Fact]
    public async Task Init_writes_a_schema_that_validates_builds_and_rebuilds_the_database()
    {
        var source = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(source, Extras);
        var directory = Path.Combine(Directory.CreateTempSubdirectory("knowitall-init-").FullName, "schema");

        var init = await CliTests.RunAsync("schema", "init", "--connection", source, "--schema", directory, "--json");

        Assert.True(init.Exit == ExitCodes.Success, init.Out + init.Err);
        using (var json = JsonDocument.Parse(init.Out))
        {
            Assert.True(json.RootElement.GetProperty("schema_valid").GetBoolean());
            Assert.Empty(json.RootElement.GetProperty("missing").EnumerateArray());
            Assert.Empty(json.RootElement.GetProperty("drift").EnumerateArray());
        }
        var files = Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["00_schema.sql", "10_types.sql", "30_functions.sql", "40_1_Order_Lines.sql", "40_2_progress_records.sql",
            "40_3_quiz_sessions.sql",
            "40_4_tree_nodes.sql", "40_5_users.sql", "70_foreign_keys.sql", "80_views.sql", "85_functions_on_row_types.sql",
            "90_grants_and_comments.sql"], files);
        var lines = await File.ReadAllTextAsync(Path.Combine(directory, "40_1_Order_Lines.sql"));
        foreach (var part in new[] { "CREATE SEQUENCE IF NOT EXISTS \"public\".\"Order Lines_id_seq\"",
            "CREATE TABLE IF NOT EXISTS \"public\".\"Order Lines\"", "CREATE POLICY \"lines_read\"", "TRIGGER lines_touch",
            "COMMENT ON TABLE public.\"Order Lines\"", "GRANT SELECT ON TABLE \"public\".\"Order Lines\"" })
            Assert.Contains(part, lines);
        Assert.Contains("COMMENT ON COLUMN public.users.email", await File.ReadAllTextAsync(Path.Combine(directory, "40_5_users.sql")));
        Assert.Contains("COMMENT ON INDEX public.idx_users_last_login", await File.ReadAllTextAsync(Path.Combine(directory, "40_5_users.sql")));
        Assert.Contains("GRANT EXECUTE ON ROUTINE", await File.ReadAllTextAsync(Path.Combine(directory, "90_grants_and_comments.sql")));

        var build = await CliTests.RunAsync("schema", "build", "--schema", directory, "--connection", source);
        Assert.True(build.Exit == ExitCodes.Success, build.Out + build.Err);
        var validate = await CliTests.RunAsync("validate", "--schema", directory, "--connection", source, "--json");
        Assert.True(validate.Exit == ExitCodes.Success, validate.Out + validate.Err);

        var rebuilt = await pg.NewDatabaseAsync();
        var engine = Engines.For(rebuilt, SchemaSource.FromDirectory(directory));
        await engine.ApplyAsync(new ApplyRequest());
        Assert.False((await engine.PlanAsync()).HasChanges);
        Assert.Equal(PgDump.Normalized(await PgDump.SchemaOnlyAsync(source)), PgDump.Normalized(await PgDump.SchemaOnlyAsync(rebuilt)));
    }

    [Fact]
    public async Task Init_never_writes_into_a_directory_that_has_files()
    {
        var source = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        var directory = Directory.CreateTempSubdirectory("knowitall-init-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "mine.sql"), "-- mine");

        var init = await CliTests.RunAsync("schema", "init", "--connection", source, "--schema", directory);

        Assert.Equal(ExitCodes.Failure, init.Exit);
        Assert.Contains("Migration.InvalidInput", init.Err);
        Assert.Contains("is not empty", init.Err);
        Assert.Equal(["mine.sql"], Directory.GetFiles(directory).Select(Path.GetFileName));
        Assert.Equal("-- mine", await File.ReadAllTextAsync(Path.Combine(directory, "mine.sql")));
    }
}
