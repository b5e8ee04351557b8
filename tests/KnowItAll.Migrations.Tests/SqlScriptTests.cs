using KnowItAll.Migrations.Desired;

namespace KnowItAll.Migrations.Tests;

public sealed class SqlScriptTests
{
    [Fact]
    public void Splits_on_top_level_semicolons_only_and_keeps_start_lines()
    {
        const string text = """
            -- a comment; with a semicolon
            CREATE TABLE a (note text DEFAULT 'x;y', "odd;name" int);
            /* block ; /* nested ; */ still comment */
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;

            CREATE TABLE b (e text DEFAULT E'it\'s;fine')
            """;
        var statements = SqlScript.Split("s.sql", text);
        Assert.Equal(3, statements.Count);
        Assert.Equal([2, 4, 6], statements.Select(s => s.Line));
        Assert.StartsWith("CREATE TABLE a", statements[0].Text);
        Assert.Contains("$body$ SELECT 1; $body$", statements[1].Text);
        Assert.Equal("CREATE TABLE B (E TEXT DEFAULT E'IT\\'S;FINE')", statements[2].Words);
    }

    [Fact]
    public void Positions_map_to_file_lines()
    {
        var statement = SqlScript.Split("s.sql", "\n\nCREATE TABLE t (\n  a int,\n  b nonsense\n)")[0];
        Assert.Equal(3, statement.Line);
        Assert.Equal(5, statement.LineOf(statement.Text.IndexOf("nonsense", StringComparison.Ordinal) + 1));
    }

    [Theory]
    [InlineData("CREATE TABLE t (a text DEFAULT 'open);", "unterminated string literal")]
    [InlineData("CREATE TABLE t (a int); /* never closed", "unterminated block comment")]
    [InlineData("CREATE FUNCTION f() AS $x$ SELECT 1;", "unterminated dollar-quoted string $x$")]
    [InlineData("CREATE TABLE \"t (a int);", "unterminated quoted identifier")]
    public void Unterminated_text_is_an_error_naming_the_line(string text, string message)
    {
        var error = Assert.Throws<MigrationException>(() => SqlScript.Split("f.sql", "\n" + text));
        Assert.Equal(MigrationErrors.SchemaError, error.ErrorName);
        Assert.StartsWith("f.sql:2: ", error.Message);
        Assert.Contains(message, error.Message);
    }
}
