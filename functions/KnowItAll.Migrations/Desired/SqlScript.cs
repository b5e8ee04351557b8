namespace KnowItAll.Migrations.Desired;

/// <summary>One statement of a schema file and where it starts, so errors can name file and line.</summary>
public sealed record SqlStatement(string File, int Line, string Text)
{
    /// <summary>The statement's words in upper case with comments and extra white space removed (for classification only).</summary>
    public string Words { get; } = SqlScript.Normalize(Text);

    public string Location => $"{File}:{Line}";

    /// <summary>The line of a 1-based character position inside <see cref="Text"/>.</summary>
    public int LineOf(int position)
    {
        var line = Line;
        var limit = Math.Min(Math.Max(position - 1, 0), Text.Length);
        for (var i = 0; i < limit; i++) if (Text[i] == '\n') line++;
        return line;
    }
}

/// <summary>
/// Splits PostgreSQL scripts into statements on top-level semicolons, aware of quotes, dollar quoting and
/// comments, keeping each statement's starting line.
/// </summary>
public static class SqlScript
{
    public static IReadOnlyList<SqlStatement> Split(string file, string text)
    {
        var statements = new List<SqlStatement>();
        var start = -1;
        var startLine = 1;
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n') { line++; i++; continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && Peek(text, i + 1) == '-')
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            if (c == '/' && Peek(text, i + 1) == '*')
            {
                i = SkipBlockComment(text, i, ref line, file);
                continue;
            }
            if (start < 0 && c == '\\')
            {
                // A psql meta-command (pg_dump's \restrict KEY) ends at its line's end, not at a semicolon.
                var end = text.IndexOf('\n', i);
                if (end < 0) end = text.Length;
                statements.Add(new SqlStatement(file, line, text[i..end].TrimEnd()));
                i = end;
                continue;
            }
            if (start < 0) { start = i; startLine = line; }
            switch (c)
            {
                case ';':
                    statements.Add(new SqlStatement(file, startLine, text[start..i].TrimEnd()));
                    start = -1;
                    i++;
                    break;
                case '\'':
                    i = SkipQuoted(text, i, '\'', backslashEscapes: i > 0 && (text[i - 1] == 'E' || text[i - 1] == 'e'), ref line, file, startLine);
                    break;
                case '"':
                    i = SkipQuoted(text, i, '"', backslashEscapes: false, ref line, file, startLine);
                    break;
                case '$' when DollarTag(text, i) is { } tag:
                    i = SkipDollarQuoted(text, i, tag, ref line, file, startLine);
                    break;
                default:
                    i++;
                    break;
            }
        }
        if (start >= 0) statements.Add(new SqlStatement(file, startLine, text[start..].TrimEnd()));
        return statements;
    }

    internal static string Normalize(string statement)
    {
        var words = new System.Text.StringBuilder();
        var line = 0;
        var i = 0;
        while (i < statement.Length)
        {
            var c = statement[i];
            if (c == '-' && Peek(statement, i + 1) == '-') { while (i < statement.Length && statement[i] != '\n') i++; continue; }
            if (c == '/' && Peek(statement, i + 1) == '*') { i = SkipBlockComment(statement, i, ref line, ""); continue; }
            if (char.IsWhiteSpace(c))
            {
                if (words.Length > 0 && words[^1] != ' ') words.Append(' ');
                i++;
                continue;
            }
            words.Append(char.ToUpperInvariant(c));
            i++;
        }
        return words.ToString().Trim();
    }

    private static char Peek(string text, int i) => i < text.Length ? text[i] : '\0';

    private static int SkipBlockComment(string text, int i, ref int line, string file)
    {
        var depth = 0;
        var startLine = line;
        while (i < text.Length)
        {
            if (text[i] == '/' && Peek(text, i + 1) == '*') { depth++; i += 2; continue; }
            if (text[i] == '*' && Peek(text, i + 1) == '/') { depth--; i += 2; if (depth == 0) return i; continue; }
            if (text[i] == '\n') line++;
            i++;
        }
        throw Unterminated(file, startLine, "block comment");
    }

    private static int SkipQuoted(string text, int i, char quote, bool backslashEscapes, ref int line, string file, int startLine)
    {
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n') line++;
            if (backslashEscapes && c == '\\') { i += 2; continue; }
            if (c == quote)
            {
                if (Peek(text, i + 1) == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        throw Unterminated(file, startLine, quote == '\'' ? "string literal" : "quoted identifier");
    }

    private static string? DollarTag(string text, int i)
    {
        if (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '_')) return null;
        var j = i + 1;
        while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_')) j++;
        if (j < text.Length && text[j] == '$' && (j == i + 1 || !char.IsDigit(text[i + 1]))) return text[i..(j + 1)];
        return null;
    }

    private static int SkipDollarQuoted(string text, int i, string tag, ref int line, string file, int startLine)
    {
        var end = text.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
        if (end < 0) throw Unterminated(file, startLine, "dollar-quoted string " + tag);
        for (var k = i; k < end; k++) if (text[k] == '\n') line++;
        return end + tag.Length;
    }

    private static MigrationException Unterminated(string file, int line, string what) =>
        new(MigrationErrors.SchemaError, $"{file}:{line}: unterminated {what}");
}
