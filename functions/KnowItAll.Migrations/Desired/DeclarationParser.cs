using System.Text;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Desired;

/// <summary>
/// Reads the statements that declare a removal or a rename (DROP …, ALTER TABLE … DROP / RENAME, ALTER … RENAME,
/// REVOKE …) into <see cref="Declaration"/>s. Names are read from the statement's own text, as PostgreSQL reads them:
/// unquoted names folded to lower case, quoted names kept. A statement of one of these forms that cannot be read
/// exactly is an error naming it, never a guess.
/// </summary>
public static class DeclarationParser
{
    /// <summary>What people may write to remove or rename, for the refusal messages.</summary>
    public const string Accepted =
        "ALTER TABLE t DROP COLUMN [IF EXISTS] c, ALTER TABLE t DROP CONSTRAINT [IF EXISTS] k, " +
        "DROP TABLE / VIEW / MATERIALIZED VIEW / INDEX / SEQUENCE / TYPE [IF EXISTS] name[, …], DROP FUNCTION / PROCEDURE [IF EXISTS] " +
        "name(argument types), " +
        "DROP TRIGGER / POLICY [IF EXISTS] name ON t, REVOKE privileges ON object FROM roles, " +
        "ALTER TABLE t RENAME [COLUMN] a TO b, ALTER TABLE t RENAME TO u, ALTER INDEX / VIEW / MATERIALIZED VIEW / SEQUENCE / TYPE name RENAME TO " +
        "new, " +
        "ALTER TYPE t RENAME VALUE 'a' TO 'b'";

    /// <summary>True when the statement is one of the declaring forms (then <see cref="Parse"/> reads it or refuses it).</summary>
    public static bool IsDeclaration(SqlStatement statement)
    {
        var w = statement.Words;
        if (w.StartsWith("DROP ", StringComparison.Ordinal) || w.StartsWith("REVOKE ", StringComparison.Ordinal)) return true;
        var tokens = Tokenize(statement);
        var at = 0;
        if (!Keyword(tokens, ref at, "ALTER")) return false;
        if (Keyword(tokens, ref at, "TABLE"))
        {
            Keyword(tokens, ref at, "IF", "EXISTS");
            Keyword(tokens, ref at, "ONLY");
            if (!SkipName(tokens, ref at)) return false;
            return Is(tokens, at, "DROP") || Is(tokens, at, "RENAME");
        }
        if (!(Keyword(tokens, ref at, "INDEX") || Keyword(tokens, ref at, "VIEW") || Keyword(tokens, ref at, "MATERIALIZED", "VIEW")
              || Keyword(tokens, ref at, "SEQUENCE") || Keyword(tokens, ref at, "TYPE"))) return false;
        Keyword(tokens, ref at, "IF", "EXISTS");
        if (!SkipName(tokens, ref at)) return false;
        return Is(tokens, at, "RENAME");
    }

    /// <summary>Steps over a name, qualified or not (schema.name).</summary>
    private static bool SkipName(List<Token> tokens, ref int at)
    {
        if (at >= tokens.Count || tokens[at].Kind == TokenKind.Punctuation) return false;
        at++;
        if (at + 1 < tokens.Count && tokens[at].Kind == TokenKind.Punctuation && tokens[at].Text == "."
            && tokens[at + 1].Kind != TokenKind.Punctuation) at += 2;
        return true;
    }

    /// <summary>The declarations one statement makes (a DROP or REVOKE may name several objects).</summary>
    public static IReadOnlyList<Declaration> Parse(SqlStatement statement, string targetSchema)
    {
        var tokens = Tokenize(statement);
        if (tokens.Any(t => t.Kind == TokenKind.Word && t.Upper == "CASCADE"))
            throw Error(statement, "CASCADE would remove objects schema/ does not name: declare each object to remove in its own statement");
        var reader = new Reader(tokens, statement, targetSchema);
        var result = reader.Upper(0) switch
        {
            "DROP" => reader.Drop(),
            "REVOKE" => reader.Revoke(),
            _ => reader.Alter(),
        };
        return result;
    }

    private static MigrationException Error(SqlStatement at, string message) =>
        new(MigrationErrors.SchemaError, $"{at.Location}: {message}. Removals and renames are declared with: {Accepted}");

    private enum TokenKind { Word, Quoted, String, Punctuation }

    private sealed record Token(TokenKind Kind, string Text)
    {
        public string Upper => Kind == TokenKind.Word ? Text.ToUpperInvariant() : "";

        /// <summary>The name as PostgreSQL reads it: unquoted folded to lower case.</summary>
        public string Name => Kind == TokenKind.Word ? Text.ToLowerInvariant() : Text;
    }

    private static bool Is(List<Token> tokens, int at, string word) => at < tokens.Count && tokens[at].Upper == word;

    private static bool Keyword(List<Token> tokens, ref int at, params string[] words)
    {
        for (var i = 0; i < words.Length; i++)
            if (!Is(tokens, at + i, words[i])) return false;
        at += words.Length;
        return true;
    }

    private static List<Token> Tokenize(SqlStatement statement)
    {
        var text = statement.Text;
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && i + 1 < text.Length && text[i + 1] == '-') { while (i < text.Length && text[i] != '\n') i++; continue; }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
                continue;
            }
            if (c is '"' or '\'')
            {
                var value = new StringBuilder();
                var j = i + 1;
                while (j < text.Length)
                {
                    if (text[j] == c)
                    {
                        if (j + 1 < text.Length && text[j + 1] == c) { value.Append(c); j += 2; continue; }
                        break;
                    }
                    value.Append(text[j++]);
                }
                tokens.Add(new Token(c == '"' ? TokenKind.Quoted : TokenKind.String, value.ToString()));
                i = j + 1;
                continue;
            }
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                var j = i;
                while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] is '_' or '$')) j++;
                tokens.Add(new Token(TokenKind.Word, text[i..j]));
                i = j;
                continue;
            }
            tokens.Add(new Token(TokenKind.Punctuation, c.ToString()));
            i++;
        }
        return tokens;
    }

    private sealed class Reader(List<Token> tokens, SqlStatement statement, string targetSchema)
    {
        private int _at;

        public string Upper(int at) => at < tokens.Count ? tokens[at].Upper : "";

        private bool Accept(params string[] words) => Keyword(tokens, ref _at, words);

        private void Expect(params string[] words)
        {
            if (!Accept(words)) throw Fail($"expected {string.Join(' ', words)}{Here()}");
        }

        private string Here() => _at < tokens.Count ? $" at '{tokens[_at].Text}'" : " at the end of the statement";

        private MigrationException Fail(string why) => Error(statement, why);

        private bool AtPunctuation(string p) => _at < tokens.Count && tokens[_at].Kind == TokenKind.Punctuation && tokens[_at].Text == p;

        /// <summary>A name, unqualified or qualified with the target schema (as pg_dump writes it); another schema is refused.</summary>
        private string Name(string what)
        {
            if (_at >= tokens.Count || tokens[_at].Kind is TokenKind.Punctuation or TokenKind.String)
                throw Fail($"expected the {what}'s name{Here()}");
            var name = tokens[_at++].Name;
            if (!AtPunctuation(".")) return name;
            if (name != targetSchema)
                throw Fail($"{name}.…: schema files describe the schema '{targetSchema}' only (the target schema; see --target-schema)");
            _at++;
            if (_at >= tokens.Count || tokens[_at].Kind is TokenKind.Punctuation or TokenKind.String)
                throw Fail($"expected the {what}'s name after '{name}.'{Here()}");
            return tokens[_at++].Name;
        }

        private void End()
        {
            Accept("RESTRICT");
            if (_at < tokens.Count) throw Fail($"unexpected '{tokens[_at].Text}' (one object per clause; nothing may follow)");
        }

        private List<string> Names(string what)
        {
            var names = new List<string> { Name(what) };
            while (AtPunctuation(",")) { _at++; names.Add(Name(what)); }
            return names;
        }

        private Declaration D(DeclarationAction action, string kind, string name, string? table = null, string? newName = null) =>
            new(action, kind, name, table, newName, statement.Location);

        public IReadOnlyList<Declaration> Drop()
        {
            Expect("DROP");
            string kind;
            if (Accept("TABLE")) kind = "table";
            else if (Accept("MATERIALIZED", "VIEW")) kind = "materialized_view";
            else if (Accept("VIEW")) kind = "view";
            else if (Accept("INDEX"))
            {
                if (Accept("CONCURRENTLY")) throw Fail("schema files declare that an index goes; the engine decides how it is dropped");
                kind = "index";
            }
            else if (Accept("SEQUENCE")) kind = "sequence";
            else if (Accept("TYPE")) kind = "type";
            else if (Accept("FUNCTION")) kind = "function";
            else if (Accept("PROCEDURE")) kind = "procedure";
            else if (Accept("TRIGGER")) kind = "trigger";
            else if (Accept("POLICY")) kind = "policy";
            else throw Fail($"DROP {Upper(1)} is not a removal this engine plans");
            Accept("IF", "EXISTS");
            if (kind is "trigger" or "policy")
            {
                var name = Name(kind);
                Expect("ON");
                var table = Name("table");
                End();
                return [D(DeclarationAction.Drop, kind, name, table)];
            }
            if (kind is "function" or "procedure")
            {
                var routines = new List<Declaration>();
                do
                {
                    var name = Name(kind);
                    routines.Add(D(DeclarationAction.Drop, kind, $"{name}({string.Join(", ", ArgumentTypes(kind, name))})"));
                } while (AtPunctuation(",") && ++_at > 0);
                End();
                return routines;
            }
            var names = Names(kind);
            End();
            return names.Select(n => D(DeclarationAction.Drop, kind, n)).ToList();
        }

        /// <summary>The argument types as written (names and modes dropped); the loader has PostgreSQL spell them.</summary>
        private List<string> ArgumentTypes(string kind, string name)
        {
            if (!AtPunctuation("("))
                throw Fail($"DROP {kind.ToUpperInvariant()} {name} needs its argument types in parentheses, e.g. {name}(integer, text)");
            _at++;
            var types = new List<string>();
            var current = new List<Token>();
            var depth = 0;
            while (true)
            {
                if (_at >= tokens.Count) throw Fail($"unterminated argument list of {name}");
                var t = tokens[_at++];
                if (t.Kind == TokenKind.Punctuation && t.Text == "(") depth++;
                if (t.Kind == TokenKind.Punctuation && t.Text == ")" && depth-- == 0) { Flush(); return types; }
                if (t.Kind == TokenKind.Punctuation && t.Text == "," && depth == 0) { Flush(); continue; }
                current.Add(t);
            }

            void Flush()
            {
                if (current.Count == 0) return;
                // A mode (IN, OUT, INOUT, VARIADIC) and an argument name before the type are not part of the signature.
                if (current[0].Upper is "IN" or "OUT" or "INOUT" or "VARIADIC")
                {
                    if (current[0].Upper == "OUT") { current.Clear(); return; }
                    current.RemoveAt(0);
                }
                if (current.Count > 1 && current[0].Kind is TokenKind.Word or TokenKind.Quoted
                    && current[1].Kind is TokenKind.Word or TokenKind.Quoted
                    && !MultiWordType(current[0].Upper, current[1].Upper))
                    current.RemoveAt(0);
                types.Add(Spell(current));
                current.Clear();
            }
        }

        private static bool MultiWordType(string first, string second) =>
            (first, second) is ("DOUBLE", "PRECISION") or ("CHARACTER", "VARYING") or ("BIT", "VARYING") or ("TIMESTAMP", _) or ("TIME",
                _) or ("INTERVAL", _);

        private static string Spell(List<Token> type)
        {
            var text = new StringBuilder();
            foreach (var t in type)
            {
                if (t.Kind == TokenKind.Punctuation) { text.Append(t.Text); continue; }
                if (text.Length > 0 && text[^1] is not '(' and not '[' and not ',') text.Append(' ');
                text.Append(t.Kind == TokenKind.Quoted ? Identifier.Quote(t.Text) : t.Text.ToLowerInvariant());
            }
            return text.ToString();
        }

        public IReadOnlyList<Declaration> Alter()
        {
            Expect("ALTER");
            if (Accept("TABLE"))
            {
                Accept("IF", "EXISTS");
                Accept("ONLY");
                var table = Name("table");
                if (Accept("DROP"))
                {
                    if (Accept("CONSTRAINT"))
                    {
                        Accept("IF", "EXISTS");
                        var constraint = Name("constraint");
                        End();
                        return [D(DeclarationAction.Drop, "constraint", constraint, table)];
                    }
                    Accept("COLUMN");
                    Accept("IF", "EXISTS");
                    var column = Name("column");
                    End();
                    return [D(DeclarationAction.Drop, "column", column, table)];
                }
                Expect("RENAME");
                if (Accept("TO"))
                {
                    var to = Name("table");
                    End();
                    return [D(DeclarationAction.Rename, "table", table, null, to)];
                }
                if (Accept("CONSTRAINT")) throw Fail("renaming a constraint is not declared here: declare the new constraint and drop the old one");
                Accept("COLUMN");
                var from = Name("column");
                Expect("TO");
                var into = Name("column");
                End();
                return [D(DeclarationAction.Rename, "column", from, table, into)];
            }
            string kind;
            if (Accept("INDEX")) kind = "index";
            else if (Accept("MATERIALIZED", "VIEW")) kind = "materialized_view";
            else if (Accept("VIEW")) kind = "view";
            else if (Accept("SEQUENCE")) kind = "sequence";
            else if (Accept("TYPE")) kind = "type";
            else throw Fail("not a rename this engine plans");
            Accept("IF", "EXISTS");
            var old = Name(kind);
            Expect("RENAME");
            if (kind == "type" && Accept("VALUE"))
            {
                var label = Label();
                Expect("TO");
                var newLabel = Label();
                End();
                return [D(DeclarationAction.Rename, "enum_value", label, old, newLabel)];
            }
            Expect("TO");
            var renamed = Name(kind);
            End();
            return [D(DeclarationAction.Rename, kind, old, null, renamed)];
        }

        private string Label()
        {
            if (_at >= tokens.Count || tokens[_at].Kind != TokenKind.String) throw Fail($"expected an enum label in quotes{Here()}");
            return tokens[_at++].Text;
        }

        public IReadOnlyList<Declaration> Revoke()
        {
            Expect("REVOKE");
            if (Accept("GRANT", "OPTION", "FOR"))
                throw Fail(
                    "REVOKE GRANT OPTION FOR is not a declaration this engine plans: a grant option schema/ no longer grants is reported as drift; " +
                    "revoke it outside schema/");
            var privileges = new List<(string Privilege, List<string> Columns)>();
            while (true)
            {
                if (_at >= tokens.Count) throw Fail("REVOKE needs privileges, ON and FROM");
                if (Accept("ALL"))
                {
                    Accept("PRIVILEGES");
                    privileges.Add(("ALL", []));
                }
                else
                {
                    var word = tokens[_at].Upper;
                    if (word is "" or "ON") throw Fail($"expected a privilege{Here()}");
                    _at++;
                    var columns = new List<string>();
                    if (AtPunctuation("("))
                    {
                        _at++;
                        columns.Add(Name("column"));
                        while (AtPunctuation(",")) { _at++; columns.Add(Name("column")); }
                        if (!AtPunctuation(")")) throw Fail($"expected ')'{Here()}");
                        _at++;
                    }
                    privileges.Add((word, columns));
                }
                if (!AtPunctuation(",")) break;
                _at++;
            }
            Expect("ON");
            string objectKind;
            if (Accept("SCHEMA")) objectKind = "schema";
            else if (Accept("SEQUENCE")) objectKind = "sequence";
            else if (Accept("FUNCTION") || Accept("PROCEDURE") || Accept("ROUTINE")) objectKind = "function";
            else if (Accept("TYPE") || Accept("DOMAIN")) objectKind = "type";
            else if (Accept("ALL")) throw Fail("REVOKE … ON ALL … IN SCHEMA is not modelled: revoke on each object by name");
            else { Accept("TABLE"); objectKind = "table"; }
            var objects = new List<string>();
            do
            {
                if (objectKind == "function")
                {
                    var name = Name("function");
                    objects.Add($"{name}({string.Join(", ", ArgumentTypes("function", name))})");
                }
                else if (objectKind == "schema")
                {
                    var schema = tokens[_at].Name;
                    if (schema != targetSchema) throw Fail($"REVOKE on schema {schema}: schema files describe the schema '{targetSchema}' only");
                    _at++;
                    objects.Add(schema);
                }
                else objects.Add(Name(objectKind));
            } while (AtPunctuation(",") && ++_at > 0);
            Expect("FROM");
            var grantees = new List<string>();
            do
            {
                Accept("GROUP");
                grantees.Add(Upper(_at) == "PUBLIC" ? "PUBLIC" : Name("role"));
                if (grantees[^1] == "PUBLIC") _at++;
            } while (AtPunctuation(",") && ++_at > 0);
            if (Accept("GRANTED", "BY")) throw Fail("GRANTED BY is not modelled");
            End();

            var declarations = new List<Declaration>();
            foreach (var target in objects)
                foreach (var (privilege, columns) in privileges)
                {
                    var names = privilege == "ALL" ? AllPrivileges(objectKind) : [privilege];
                    if (columns.Count == 0)
                        declarations.Add(D(DeclarationAction.Revoke, "privilege", target,
                            objectKind) with
                        { Privileges = names, Grantees = grantees });
                    else if (objectKind != "table") throw Fail("column privileges are on tables only");
                    else
                        declarations.AddRange(columns.Select(column =>
                            D(DeclarationAction.Revoke, "privilege", target,
                                "column") with
                            { Privileges = names, Grantees = grantees, Column = column }));
                }
            return declarations;
        }

        private static string[] AllPrivileges(string objectKind) => objectKind switch
        {
            "schema" => ["CREATE", "USAGE"],
            "sequence" => ["SELECT", "UPDATE", "USAGE"],
            "function" => ["EXECUTE"],
            _ => ["DELETE", "INSERT", "REFERENCES", "SELECT", "TRIGGER", "TRUNCATE", "UPDATE"],
        };
    }
}
