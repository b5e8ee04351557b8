using KnowItAll.Migrations.Desired;

using KnowItAll.Migrations;

namespace KnowItAll.Testing;

/// <summary>Builds changed versions of the tutor schema for tests.</summary>
public static class SchemaEdits
{
    /// <summary>The tutor schema with <paramref name="find"/> replaced in the named file; fails when it is not there.</summary>
    public static SchemaSource Replace(string file, string find, string replace) => Replace(Repo.TutorFiles(), file, find, replace);

    public static SchemaSource Replace(List<SchemaFile> files, string file, string find, string replace)
    {
        var index = files.FindIndex(f => f.Name.EndsWith(file, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no schema file {file}");
        Assert.Contains(find, files[index].Text);
        files[index] = files[index] with { Text = files[index].Text.Replace(find, replace, StringComparison.Ordinal) };
        return SchemaSource.FromFiles([.. files]);
    }

    /// <summary>The tutor schema plus one more file.</summary>
    public static SchemaSource With(string name, string text) =>
        SchemaSource.FromFiles([.. Repo.TutorFiles(), new SchemaFile("schema/" + name, text)]);

    /// <summary>
    /// A new database with the tutor schema applied by the engine. The engine applies it once per server, to a database that is
    /// then only copied (CREATE DATABASE ... TEMPLATE), so each test starts from the same applied state, its history row
    /// among it, without paying for the apply again.
    /// </summary>
    public static async Task<string> AppliedTutorDatabaseAsync(PostgresFixture pg)
    {
        string template;
        await TutorGate.WaitAsync();
        try
        {
            if (!AppliedTutor.TryGetValue(pg.AdminConnectionString, out template!))
            {
                template = await pg.NewDatabaseAsync();
                var applied = await Engines.For(template, Repo.TutorSchema()).ApplyAsync(new ApplyRequest());
                Assert.True(applied.Changed);
                AppliedTutor[pg.AdminConnectionString] = template;
            }
        }
        finally
        {
            TutorGate.Release();
        }
        return await pg.CopyOfDatabaseAsync(template);
    }

    // By server (the admin connection string): a test assembly may stop its server and start another.
    private static readonly Dictionary<string, string> AppliedTutor = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim TutorGate = new(1, 1);

    public const string SeedRows = """
        INSERT INTO users (email, display_name) SELECT 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, 2000) g;
        INSERT INTO tree_nodes (node_type, title) VALUES ('domain', 'AWS Certified Solutions Architect');
        INSERT INTO quiz_sessions (user_id, domain_id, total_terms)
          SELECT u.id, t.id, 20 FROM users u CROSS JOIN tree_nodes t ORDER BY u.email LIMIT 500;
        """;
}
