using System.Text.RegularExpressions;

namespace KnowItAll.Migrations.Desired;

/// <summary>
/// Which statements schema files may hold. Each accepted form changes something the desired model carries
/// (a test proves it form by form); anything else is refused with its file, line and why, so nothing written
/// in schema/ is silently left unapplied.
/// </summary>
public static partial class StatementAcceptance
{
    /// <summary>The forms accepted, as people write them; the refusal message lists them.</summary>
    public const string Accepted =
        "CREATE TABLE (also INHERITS) / UNLOGGED TABLE / INDEX / SEQUENCE / EXTENSION (SCHEMA, VERSION) / TYPE ... AS ENUM / " +
        "TYPE ... AS (attributes) / DOMAIN / VIEW / MATERIALIZED VIEW (WITH [NO] DATA) / FUNCTION / PROCEDURE / TRIGGER / POLICY, " +
        "ALTER TABLE ... ADD, ALTER COLUMN ... SET DEFAULT / SET NOT NULL / ADD GENERATED, VALIDATE CONSTRAINT, ENABLE / FORCE ROW LEVEL SECURITY, " +
        "DISABLE / ENABLE [REPLICA | ALWAYS] TRIGGER name, " +
        "SET (storage parameters), SET LOGGED / UNLOGGED, ATTACH PARTITION, REPLICA IDENTITY, ALTER INDEX ... ATTACH PARTITION (as pg_dump " +
        "writes a partitioned table's index: CREATE INDEX ... ON ONLY, then each partition's index attached), " +
        "ALTER COLUMN ... SET GENERATED / SET (identity options), " +
        "ALTER SEQUENCE (options, OWNED BY), ALTER TYPE ... ADD VALUE, ALTER ... OWNER TO, COMMENT ON, and GRANT on the schema, tables, " +
        "columns, sequences and functions; " +
        "and declared removals and renames (DROP ..., ALTER TABLE ... DROP / RENAME, ALTER ... RENAME, REVOKE ...)";

    /// <summary>Throws a SchemaError naming the statement's file and line unless the statement is an accepted form.</summary>
    public static void Check(SqlStatement statement, MigrationOptions options)
    {
        var words = statement.Words;
        var reason = words switch
        {
            _ when words.StartsWith("CREATE ", StringComparison.Ordinal) => Create(words),
            _ when words.StartsWith("ALTER TABLE ", StringComparison.Ordinal) => AlterTable(words),
            _ when words.StartsWith("ALTER SEQUENCE ", StringComparison.Ordinal) => AlterSequence().IsMatch(words)
                ? null : "ALTER SEQUENCE ... RESTART / RENAME / OWNER / SET SCHEMA is not part of a desired schema (only its options and OWNED BY " +
                    "are)",
            _ when words.StartsWith("ALTER INDEX ", StringComparison.Ordinal) => AlterIndexAttach().IsMatch(words)
                ? null : "of ALTER INDEX only ATTACH PARTITION is accepted (and a declared RENAME TO)",
            _ when words.StartsWith("ALTER TYPE ", StringComparison.Ordinal) => AlterTypeAddValue().IsMatch(words)
                ? null : "of ALTER TYPE only ADD VALUE is accepted (and a declared RENAME TO / RENAME VALUE)",
            _ when words.StartsWith("COMMENT ON ", StringComparison.Ordinal) => CommentTarget().IsMatch(words)
                ? null : "COMMENT ON is accepted for tables, columns, views, materialized views, indexes, sequences, types, domains, functions, " +
                    "procedures, triggers, constraints and policies",
            _ when words.StartsWith("GRANT ", StringComparison.Ordinal) => Grant(words),
            _ => $"'{Head(words)}' is not supported in schema files",
        };
        if (reason is not null) throw Error(statement, $"{reason}. Schema files hold: {Accepted}");
    }

    private static string? Create(string words)
    {
        if (TempObject().IsMatch(words)) return "temporary objects do not belong to a schema";
        if (TableStart().Match(words) is { Success: true })
        {
            if (TableAs().IsMatch(words)) return "CREATE TABLE ... AS copies data; declare the table's columns instead";
            if (UnmodelledTableClause().Match(words) is { Success: true } clause)
                return $"CREATE TABLE ... {clause.Value.Trim()} is not modelled by this engine";
            return null;
        }
        if (IndexStart().IsMatch(words))
        {
            if (words.Contains(" CONCURRENTLY ", StringComparison.Ordinal))
                return "schema files declare indexes; the engine decides when to build them CONCURRENTLY";
            return null;
        }
        if (SequenceStart().IsMatch(words)) return null;
        if (EnumType().IsMatch(words)) return null;
        if (CompositeType().IsMatch(words)) return null;
        if (words.StartsWith("CREATE TYPE ", StringComparison.Ordinal))
            return "of CREATE TYPE only enum types (AS ENUM) and composite types (AS (attributes)) are modelled";
        if (words.StartsWith("CREATE DOMAIN ", StringComparison.Ordinal)) return null;
        if (ViewStart().IsMatch(words)) return null;
        if (MaterializedViewStart().IsMatch(words))
        {
            return UnmodelledTableClause().IsMatch(words) ? "CREATE MATERIALIZED VIEW ... TABLESPACE / USING is not modelled" : null;
        }
        if (RoutineStart().IsMatch(words)) return null;
        if (TriggerStart().IsMatch(words)) return null;
        if (words.StartsWith("CREATE POLICY ", StringComparison.Ordinal)) return null;
        return $"'{Head(words)}' is not supported in schema files";
    }

    private static string? AlterTable(string words)
    {
        var m = AlterTableHead().Match(words);
        if (!m.Success) return "ALTER TABLE needs a table name and an action";
        foreach (var action in SplitTopLevel(words[m.Length..]))
        {
            if (action.StartsWith("DROP ", StringComparison.Ordinal) || action.StartsWith("RENAME ", StringComparison.Ordinal))
                return $"ALTER TABLE ... {Head(action)} beside other actions: a removal or rename is declared in an ALTER TABLE statement of its " +
                    $"own ({DeclarationParser.Accepted})";
            if (TriggerStateAction().IsMatch(action)) continue;
            if (DestructiveAction().IsMatch(action))
                return $"schema files declare what should exist: ALTER TABLE ... {Head(action)} is never applied by this engine";
            if (!AllowedTableAction().IsMatch(action))
                return $"ALTER TABLE ... {Head(action)} is not modelled by this engine";
        }
        return null;
    }

    private static string? Grant(string words)
    {
        if (words.Contains(" GRANTED BY ", StringComparison.Ordinal)) return "GRANTED BY is not modelled";
        if (!words.Contains(" ON ", StringComparison.Ordinal)) return "role memberships (GRANT role TO role) are managed outside schema/";
        if (GrantInSchema().IsMatch(words)) return "GRANT ... ON ALL ... IN SCHEMA is not modelled: grant on each object by name";
        if (GrantUnmodelledTarget().Match(words) is { Success: true } target) return $"GRANT ... ON {target.Groups[1].Value} is not modelled";
        return null;
    }

    /// <summary>Splits ALTER TABLE actions on commas outside parentheses and quotes.</summary>
    internal static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            switch (c)
            {
                case '\'' or '"': quote = c; break;
                case '(': depth++; break;
                case ')': depth--; break;
                case ',' when depth == 0:
                    yield return text[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..].Trim();
    }

    private static string Head(string words) => string.Join(' ', words.Split(' ').Take(3));

    private static MigrationException Error(SqlStatement at, string message) => new(MigrationErrors.SchemaError, $"{at.Location}: {message}");

    [GeneratedRegex(@"^CREATE (GLOBAL |LOCAL )?(TEMP|TEMPORARY) ")]
    private static partial Regex TempObject();

    [GeneratedRegex(@"^CREATE (UNLOGGED )?TABLE ")]
    private static partial Regex TableStart();

    [GeneratedRegex(@"^CREATE (UNLOGGED )?TABLE (IF NOT EXISTS )?(""[^""]+""|\S+)( \([^)]*\))? AS\b")]
    private static partial Regex TableAs();

    [GeneratedRegex(@"\) (TABLESPACE|ON COMMIT|USING|WITHOUT OIDS)\b| OF [A-Z_""]\S* *\(?$|\bTABLESPACE\b")]
    private static partial Regex UnmodelledTableClause();

    [GeneratedRegex(@"^CREATE (UNIQUE )?INDEX ")]
    private static partial Regex IndexStart();

    [GeneratedRegex(@"^CREATE SEQUENCE ")]
    private static partial Regex SequenceStart();

    [GeneratedRegex(@"^CREATE TYPE (""[^""]+""|\S+) AS ENUM ?\(")]
    private static partial Regex EnumType();

    [GeneratedRegex(@"^CREATE TYPE (""[^""]+""|\S+) AS ?\(")]
    private static partial Regex CompositeType();

    [GeneratedRegex(@"^CREATE (OR REPLACE )?(RECURSIVE )?VIEW ")]
    private static partial Regex ViewStart();

    [GeneratedRegex(@"^CREATE MATERIALIZED VIEW ")]
    private static partial Regex MaterializedViewStart();

    [GeneratedRegex(@"^CREATE (OR REPLACE )?(FUNCTION|PROCEDURE) ")]
    private static partial Regex RoutineStart();

    [GeneratedRegex(@"^CREATE (OR REPLACE )?(CONSTRAINT )?TRIGGER ")]
    private static partial Regex TriggerStart();

    [GeneratedRegex(@"^ALTER TABLE (IF EXISTS )?(ONLY )?((""[^""]+""|[^ "".]+)\.)?(""[^""]+""|[^ "".]+) ")]
    private static partial Regex AlterTableHead();

    [GeneratedRegex(
        @"^(DROP|RENAME|DISABLE|NO FORCE|OWNER TO|SET SCHEMA|DETACH|RESET|NO INHERIT|NOT OF)\b|^ALTER (COLUMN )?\S+ (TYPE|SET DATA TYPE|DROP)\b")]
    private static partial Regex DestructiveAction();

    // One trigger by name (ALL and USER would reach triggers schema/ does not name, and the internal ones of keys).
    [GeneratedRegex(@"^(DISABLE|ENABLE( REPLICA| ALWAYS)?) TRIGGER (?!(ALL|USER)$)(""[^""]+""|[^\s""]+)$")]
    private static partial Regex TriggerStateAction();

    [GeneratedRegex(
        @"^(ADD\b|VALIDATE CONSTRAINT |ENABLE ROW LEVEL SECURITY$|FORCE ROW LEVEL SECURITY$|SET \(|SET (LOGGED|UNLOGGED)$|ATTACH PARTITION " +
        @"|REPLICA IDENTITY (DEFAULT|FULL|NOTHING|USING INDEX \S+)$|ALTER (COLUMN )?(""[^""]+""|\S+) (SET DEFAULT |SET NOT NULL$|ADD GENERATED " +
        @"|(?!.*\bRESTART\b)SET (GENERATED|START|INCREMENT|MINVALUE|MAXVALUE|NO MINVALUE|NO MAXVALUE|CACHE|CYCLE|NO CYCLE)\b))")]
    private static partial Regex AllowedTableAction();

    [GeneratedRegex(@"^ALTER SEQUENCE (IF EXISTS )?\S+ (?!.*\b(RESTART|RENAME|OWNER TO|SET SCHEMA|SET LOGGED|SET UNLOGGED)\b)")]
    private static partial Regex AlterSequence();

    [GeneratedRegex(@"^ALTER TYPE (""[^""]+""|\S+) ADD VALUE ")]
    private static partial Regex AlterTypeAddValue();

    // Names may be qualified and quoted: a run of quoted parts and other non-space characters.
    [GeneratedRegex(@"^ALTER INDEX (IF EXISTS )?(""[^""]*""|[^\s""])+ ATTACH PARTITION (""[^""]*""|[^\s""])+$")]
    private static partial Regex AlterIndexAttach();

    [GeneratedRegex(
        @"^COMMENT ON ((TABLE|COLUMN|VIEW|MATERIALIZED VIEW|INDEX|SEQUENCE|TYPE|DOMAIN|FUNCTION|PROCEDURE|ROUTINE|TRIGGER|POLICY) |CONSTRAINT " +
        @"(""[^""]+""|\S+) ON (?!DOMAIN\b))")]
    private static partial Regex CommentTarget();

    [GeneratedRegex(@" ON ALL (TABLES|SEQUENCES|FUNCTIONS|PROCEDURES|ROUTINES) IN SCHEMA ")]
    private static partial Regex GrantInSchema();

    [GeneratedRegex(@" ON (DATABASE|TABLESPACE|LANGUAGE|LARGE OBJECT|FOREIGN DATA WRAPPER|FOREIGN SERVER|DOMAIN|TYPE|PARAMETER)\b")]
    private static partial Regex GrantUnmodelledTarget();
}
