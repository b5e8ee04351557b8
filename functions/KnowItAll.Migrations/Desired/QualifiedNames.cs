using System.Text;
using System.Text.RegularExpressions;

namespace KnowItAll.Migrations.Desired;

/// <summary>
/// Maps names qualified with a managed schema (<c>public.users</c>, <c>"public"."users"</c>, as pg_dump prints them)
/// to the scratch schema the desired model is built in, so that building it never creates, alters or locks an object
/// of the real schema. <see cref="DesiredSchemaLoader.Rename"/> maps the scratch name back in the model's texts.
/// </summary>
/// <remarks>
/// Identifiers are rewritten outside comments; of string literals only those that name an object by a qualified name
/// (<c>nextval('public.seq'::regclass)</c>); dollar-quoted text (function bodies) is rewritten as SQL, since its
/// definition is mapped back as text. A name that belongs to an extension installed in the real schema
/// (<c>public.citext</c>) keeps pointing there: those objects are not built in the scratch schema.
/// </remarks>
public sealed partial class QualifiedNames(IReadOnlyDictionary<string, string> scratchOf, IReadOnlySet<string> extensionMembers)
{
    /// <summary>The statement's text with every qualified reference to a managed schema pointing at its scratch schema.</summary>
    public string ToScratch(string sql)
    {
        var output = new StringBuilder(sql.Length + 32);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && Peek(sql, i + 1) == '-')
            {
                var end = sql.IndexOf('\n', i);
                end = end < 0 ? sql.Length : end;
                output.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '/' && Peek(sql, i + 1) == '*')
            {
                var end = BlockCommentEnd(sql, i);
                output.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '\'')
            {
                var escaped = i > 0 && sql[i - 1] is 'E' or 'e' && (i < 2 || !IsIdentifierChar(sql[i - 2]));
                var end = QuotedEnd(sql, i, '\'', escaped);
                var content = sql[(i + 1)..(end - 1)];
                // Judged before the quote is copied: what precedes the literal says whether it names an object.
                var names = !escaped && NamesObject(sql, end, output);
                output.Append('\'').Append(names ? Literal(content) : content).Append('\'');
                i = end;
            }
            else if (c == '"')
            {
                var end = QuotedEnd(sql, i, '"', false);
                var name = sql[(i + 1)..(end - 1)].Replace("\"\"", "\"", StringComparison.Ordinal);
                i = Qualifier(sql, i, end, name, output);
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                var close = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                if (close < 0) close = sql.Length - tag.Length;
                output.Append(tag).Append(ToScratch(sql[(i + tag.Length)..close])).Append(tag);
                i = Math.Min(close + tag.Length, sql.Length);
            }
            else if (IsIdentifierStart(c) && (i == 0 || !IsIdentifierChar(sql[i - 1])))
            {
                var end = i + 1;
                while (end < sql.Length && IsIdentifierChar(sql[end])) end++;
                i = Qualifier(sql, i, end, sql[i..end].ToLowerInvariant(), output);
            }
            else
            {
                output.Append(c);
                i++;
            }
        }
        return output.ToString();
    }

    /// <summary>Copies the name at [start, end), replaced by its scratch schema when it qualifies a managed object.</summary>
    private int Qualifier(string sql, int start, int end, string name, StringBuilder output)
    {
        var qualifies = Peek(sql, end) == '.' && (start == 0 || sql[start - 1] != '.');
        if (qualifies && scratchOf.TryGetValue(name, out var scratch) && !extensionMembers.Contains(name + "." + NextName(sql, end + 1)))
            output.Append(scratch);
        else
            output.Append(sql, start, end - start);
        return end;
    }

    /// <summary>
    /// Whether the literal ending at <paramref name="end"/> names an object: cast to a reg* type (<c>'public.seq'::regclass</c>) or the
    /// sequence of nextval, currval or setval. Any other literal is data (a comment's text, an enum label) and kept.
    /// </summary>
    private static bool NamesObject(string sql, int end, StringBuilder before)
    {
        if (string.Compare(sql, end, "::reg", 0, 5, StringComparison.OrdinalIgnoreCase) == 0) return true;
        var head = before.ToString(Math.Max(0, before.Length - 24), Math.Min(24, before.Length)).TrimEnd();
        return head.EndsWith('(') && SequenceFunction().IsMatch(head);
    }

    /// <summary>A literal that is exactly a qualified name is a reference to that object.</summary>
    private string Literal(string content)
    {
        var m = QualifiedLiteral().Match(content);
        if (!m.Success) return content;
        var head = m.Groups["schema"].Value;
        var schema = head[0] == '"' ? head[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : head.ToLowerInvariant();
        return scratchOf.TryGetValue(schema, out var scratch) && !extensionMembers.Contains(schema + "." + NextName(content, head.Length + 1))
            ? scratch + content[head.Length..]
            : content;
    }

    /// <summary>The name that starts at <paramref name="i"/>, as the catalog stores it (unquoted, or folded to lower case).</summary>
    private static string NextName(string sql, int i)
    {
        if (i >= sql.Length) return "";
        if (sql[i] == '"')
        {
            var end = QuotedEnd(sql, i, '"', false);
            return sql[(i + 1)..(end - 1)].Replace("\"\"", "\"", StringComparison.Ordinal);
        }
        var j = i;
        if (IsIdentifierStart(sql[i]))
            while (j < sql.Length && IsIdentifierChar(sql[j])) j++;
        else
            while (j < sql.Length && "+-*/<>=~!@#%^&|`?".Contains(sql[j], StringComparison.Ordinal)) j++;
        return sql[i..j].ToLowerInvariant();
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static char Peek(string text, int i) => i < text.Length ? text[i] : '\0';

    private static int BlockCommentEnd(string sql, int i)
    {
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && Peek(sql, i + 1) == '*') { depth++; i += 2; continue; }
            if (sql[i] == '*' && Peek(sql, i + 1) == '/') { i += 2; if (--depth == 0) return i; continue; }
            i++;
        }
        return sql.Length;
    }

    private static int QuotedEnd(string sql, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < sql.Length)
        {
            if (backslashEscapes && sql[i] == '\\') { i += 2; continue; }
            if (sql[i] == quote)
            {
                if (Peek(sql, i + 1) == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return sql.Length;
    }

    private static string? DollarTag(string sql, int i)
    {
        if (i > 0 && IsIdentifierChar(sql[i - 1])) return null;
        var j = i + 1;
        while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] == '_')) j++;
        return j < sql.Length && sql[j] == '$' && (j == i + 1 || !char.IsDigit(sql[i + 1])) ? sql[i..(j + 1)] : null;
    }

    [GeneratedRegex("""^(?<schema>"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\.("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)(\(.*\))?$""")]
    private static partial Regex QualifiedLiteral();

    [GeneratedRegex(@"\b(nextval|currval|setval)\s*\($", RegexOptions.IgnoreCase)]
    private static partial Regex SequenceFunction();
}
