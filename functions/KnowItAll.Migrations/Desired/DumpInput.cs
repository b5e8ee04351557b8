using System.Text.RegularExpressions;

namespace KnowItAll.Migrations.Desired;

/// <summary>A comment on the schema itself or on an extension, as schema/ declares it (the name unquoted; no text: IS NULL).</summary>
internal sealed record DeclaredComment(string ObjectType, string Name, string? Text, SqlStatement At);

/// <summary>
/// An owner schema/ states (ALTER <see cref="Kind"/> <see cref="Name"/> OWNER TO <see cref="Role"/>): the kind keyword and the
/// object's name as written, the role unquoted.
/// </summary>
internal sealed record DeclaredOwner(string Kind, string Name, string Role, SqlStatement At);

/// <summary>What the lines pg_dump adds around the DDL amount to, collected while the schema files are classified.</summary>
internal sealed class DumpStatements
{
    /// <summary>Session settings that change how the statements after them are checked, run as SET LOCAL in the build.</summary>
    public List<string> LocalSettings { get; } = [];

    public List<DeclaredComment> Comments { get; } = [];

    /// <summary>The schemas schema/ creates besides the target schema, in the order it creates them: the other managed schemas.</summary>
    public List<string> Schemas { get; } = [];
    public List<DeclaredOwner> Owners { get; } = [];
}

/// <summary>
/// The statements <c>pg_dump --schema-only</c> prints besides DDL, so that a dump can be adopted as schema/: session
/// settings, psql's <c>\restrict</c> lines, the target schema's own CREATE SCHEMA and comment, comments on extensions,
/// and owners (ALTER … OWNER TO, read into the model rather than run: running it would need the role, and the right to give
/// it objects, on the server that builds the model). Each is accepted for what it means or refused with why; none is
/// executed as written.
/// </summary>
public static partial class DumpInput
{
    /// <summary>True when the statement is one of pg_dump's own and has been taken into <paramref name="into"/>; throws a SchemaError when it may not
    /// be accepted.</summary>
    internal static bool Accept(SqlStatement statement, MigrationOptions options, DumpStatements into)
    {
        var words = statement.Words;
        if (words.StartsWith('\\')) return MetaCommand(statement);
        if (words.StartsWith("SET ", StringComparison.Ordinal) || words.StartsWith("SELECT PG_CATALOG.SET_CONFIG(", StringComparison.Ordinal))
            return Setting(statement, options, into);
        if (OwnerTo().IsMatch(words))
        {
            into.Owners.Add(Owner(statement, options, into.Schemas));
            return true;
        }
        // The schemas it creates were collected before (CreatedSchemas); each is built in a scratch schema of its own.
        if (CreateSchema().IsMatch(statement.Text)) return true;
        if (words.StartsWith("COMMENT ON SCHEMA ", StringComparison.Ordinal) || words.StartsWith("COMMENT ON EXTENSION ", StringComparison.Ordinal))
        {
            var comment = CommentOn().Match(statement.Text);
            if (!comment.Success)
                throw Error(statement, "COMMENT ON SCHEMA / EXTENSION name IS 'text' (a plain literal) or IS NULL is accepted");
            var type = comment.Groups["type"].Value.ToUpperInvariant();
            var name = Name(comment.Groups["name"].Value);
            if (type == "SCHEMA" && name != options.TargetSchema && !into.Schemas.Contains(name))
                throw Error(statement,
                    $"COMMENT ON SCHEMA {name}: schema files describe the target schema '{options.TargetSchema}' and the schemas they create " +
                    "(CREATE SCHEMA)");
            into.Comments.Add(new DeclaredComment(type, name,
                comment.Groups["text"].Success ? comment.Groups["text"].Value.Replace("''", "'", StringComparison.Ordinal) : null, statement));
            return true;
        }
        if (words.StartsWith("ALTER DEFAULT PRIVILEGES ", StringComparison.Ordinal))
            throw Error(statement,
                "default privileges (ALTER DEFAULT PRIVILEGES) are not modelled: schema/ grants on each object by name, and the engine grants them " +
                "after creating it");
        return false;
    }

    /// <summary>
    /// The schemas the statements create (<c>CREATE SCHEMA [IF NOT EXISTS] name</c>) other than the target schema: they are
    /// managed with it. A schema the engine keeps for itself or PostgreSQL reserves is refused, as is another form of CREATE SCHEMA.
    /// </summary>
    internal static IReadOnlyList<string> CreatedSchemas(IEnumerable<SqlStatement> statements, MigrationOptions options)
    {
        var schemas = new List<string>();
        foreach (var statement in statements.Where(s => s.Words.StartsWith("CREATE SCHEMA ", StringComparison.Ordinal)))
        {
            var create = CreateSchema().Match(statement.Text);
            if (!create.Success)
                throw Error(statement,
                    "of CREATE SCHEMA only CREATE SCHEMA [IF NOT EXISTS] name is accepted: AUTHORIZATION and schema elements are not modelled " +
                    "(create the objects with qualified names)");
            var name = Name(create.Groups["name"].Value);
            var refusal = name == options.TargetSchema || schemas.Contains(name) ? null
                : name.StartsWith("pg_", StringComparison.Ordinal) || name == "information_schema" ? "PostgreSQL reserves it"
                : name == options.HistorySchema ? "the engine keeps its history there (--history-schema)"
                : name.StartsWith("knowitall_", StringComparison.Ordinal) ? "the engine names its scratch schemas knowitall_…"
                : null;
            if (refusal is not null) throw Error(statement, $"CREATE SCHEMA {name}: schema/ may not manage this schema: {refusal}");
            if (name != options.TargetSchema && !schemas.Contains(name)) schemas.Add(name);
        }
        return schemas;
    }

    private static DeclaredOwner Owner(SqlStatement statement, MigrationOptions options, IReadOnlyCollection<string> created)
    {
        var m = OwnerStatement().Match(statement.Text);
        if (!m.Success)
            throw Error(statement, "ALTER kind name OWNER TO role is accepted, with the role named (a plain or double-quoted identifier)");
        var role = m.Groups["role"].Value;
        if (role.ToUpperInvariant() is "CURRENT_USER" or "CURRENT_ROLE" or "SESSION_USER")
            throw Error(statement,
                $"OWNER TO {role} names whoever builds the model or applies the plan, not an owner: name the role");
        var kind = string.Join(' ', m.Groups["kind"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
        var name = m.Groups["name"].Value.Trim();
        if (kind == "SCHEMA" && Name(name) != options.TargetSchema && !created.Contains(Name(name)))
            throw Error(statement,
                $"ALTER SCHEMA {Name(name)} OWNER TO: owners are stated for the target schema '{options.TargetSchema}' and the schemas schema/ " +
                "creates (CREATE SCHEMA), and their objects");
        return new DeclaredOwner(kind, name, Name(role), statement);
    }

    private static bool MetaCommand(SqlStatement statement)
    {
        var command = statement.Text.Split(' ', 2)[0];
        if (command is "\\restrict" or "\\unrestrict") return true;
        throw Error(statement,
            $"{command} is a psql meta-command, not SQL; of those only pg_dump's \\restrict and \\unrestrict lines are accepted (they guard psql, " +
            "and mean nothing to the schema)");
    }

    private static bool Setting(SqlStatement statement, MigrationOptions options, DumpStatements into)
    {
        var m = SetStatement().Match(statement.Text);
        if (!m.Success) m = SetConfig().Match(statement.Text);
        if (!m.Success)
            throw Error(statement,
                "of SET and set_config only SET name = value and SELECT pg_catalog.set_config('name', 'value', false), as pg_dump prints them, are " +
                "accepted");
        var name = m.Groups["name"].Value.ToLowerInvariant();
        var value = m.Groups["value"].Value.Trim().Trim('\'').ToLowerInvariant();
        var refusal = name switch
        {
            // They govern the session that runs a script, not what it creates.
            "statement_timeout" or "lock_timeout" or "idle_in_transaction_session_timeout" or "transaction_timeout"
                or "client_min_messages" or "row_security" or "escape_string_warning" => null,
            "client_encoding" => value is "utf8" or "utf-8" or "unicode" ? null : "schema files are read as UTF-8",
            "standard_conforming_strings" => value == "on" ? null
            : "backslashes in string literals would change meaning; schema files are read with standard_conforming_strings on",
            "search_path" => value.Length == 0 || value == options.TargetSchema || value == Identifier.Quote(options.TargetSchema)
                ? null : $"the engine resolves unqualified names in the target schema '{options.TargetSchema}'; another search_path would change " +
                    "what they name",
            "check_function_bodies" => value is "false" or "off" or "true" or "on" ? null : "check_function_bodies is on or off",
            "xmloption" => value == "content" ? null : "only the default xmloption (content) is accepted",
            "default_tablespace" => value.Length == 0 ? null : "tablespaces are not modelled",
            "default_table_access_method" => value == "heap" ? null : "table access methods other than heap are not modelled",
            "default_with_oids" => value is "false" or "off" ? null : "tables WITH OIDS do not exist since PostgreSQL 12",
            _ => "it could change what the statements after it mean",
        };
        if (refusal is not null) throw Error(statement, $"SET {name} = {m.Groups["value"].Value.Trim()} is not accepted: {refusal}");
        // A dump creates functions before the tables their bodies read: it turns the check off, and so does the build.
        if (name == "check_function_bodies" && value is "false" or "off") into.LocalSettings.Add("SET LOCAL check_function_bodies = false");
        return true;
    }

    internal static string Name(string written)
    {
        var name = written.Trim();
        return name.Length > 1 && name[0] == '"' && name[^1] == '"'
            ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal)
            : name.ToLowerInvariant();
    }

    internal static MigrationException Error(SqlStatement at, string message) => new(MigrationErrors.SchemaError, $"{at.Location}: {message}");

    [GeneratedRegex("""^\s*SET\s+(SESSION\s+)?(?<name>[A-Za-z_.]+)\s*(=|\s+TO\s+)\s*(?<value>'(?:[^']|'')*'|[^;]*?)\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex SetStatement();

    [GeneratedRegex("""^\s*SELECT\s+pg_catalog\.set_config\(\s*'(?<name>[A-Za-z_.]+)'\s*,\s*(?<value>'(?:[^']|'')*')\s*,\s*false\s*\)\s*$""",
        RegexOptions.IgnoreCase)]
    private static partial Regex SetConfig();

    [GeneratedRegex("""^ALTER (TABLE|SEQUENCE|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|ROUTINE|TYPE|DOMAIN|SCHEMA) .+ OWNER TO """ +
        """("[^"]+"|[A-Z0-9_$]+|CURRENT_USER|CURRENT_ROLE|SESSION_USER)$""")]
    private static partial Regex OwnerTo();

    [GeneratedRegex("""^\s*ALTER\s+(?<kind>TABLE|SEQUENCE|VIEW|MATERIALIZED\s+VIEW|FUNCTION|PROCEDURE|ROUTINE|TYPE|DOMAIN|SCHEMA)\s+""" +
        """(?<name>.+?)\s+OWNER\s+TO\s+(?<role>"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\s*$""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex OwnerStatement();

    [GeneratedRegex("""^\s*CREATE\s+SCHEMA\s+(IF\s+NOT\s+EXISTS\s+)?(?<name>"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex CreateSchema();

    [GeneratedRegex("""^\s*COMMENT\s+ON\s+(?<type>SCHEMA|EXTENSION)\s+(?<name>"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$-]*)""" +
        """\s+IS\s+(?:'(?<text>(?:[^']|'')*)'|NULL)\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex CommentOn();
}
