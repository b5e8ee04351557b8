namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// An extension's version stated in schema/ (issue 18): created at that version, and an installed one updated to it
/// (ALTER EXTENSION … UPDATE TO); an extension whose version schema/ does not state is any version.
/// </summary>
public static class ExtensionVersionCases
{
    private static string Version(string v) => $"SELECT extversion = '{v}' FROM pg_extension WHERE extname = 'btree_gin'";

    public static IEnumerable<AcceptanceCase> All()
    {
        yield return new("extension: created at the version schema/ states", "",
            "CREATE EXTENSION IF NOT EXISTS btree_gin WITH VERSION '1.2';",
            Sql: ["CREATE EXTENSION IF NOT EXISTS \"btree_gin\" WITH SCHEMA \"public\" VERSION '1.2'"])
        { Checks = [Version("1.2")] };
        yield return new("extension: an installed one updated to the version schema/ states",
            "CREATE EXTENSION btree_gin VERSION '1.2'; CREATE TABLE t (id int, tags int[]); CREATE INDEX t_tags ON t USING gin (id);",
            "CREATE EXTENSION btree_gin VERSION '1.3'; CREATE TABLE t (id int, tags int[]); CREATE INDEX t_tags ON t USING gin (id);",
            "INSERT INTO t SELECT g, ARRAY[g] FROM generate_series(1, 300) g;",
            Sql: ["ALTER EXTENSION \"btree_gin\" UPDATE TO '1.3'"])
        { Checks = [Version("1.3"), "SELECT count(*) = 300 FROM t"] };
    }
}
