using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Desired;

/// <summary>
/// Builds the desired model by letting PostgreSQL itself run the schema files inside a transaction that is
/// always rolled back, in a scratch schema that is the only entry of search_path: the server normalises
/// types, defaults and definitions, and no real object is created, altered or locked.
/// </summary>
public static partial class DesiredSchemaLoader
{
    public static async Task<SchemaModel> LoadAsync(NpgsqlConnection connection, SchemaSource source, MigrationOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await LoadInScratchAsync(connection, source, options, cancellationToken);
        }
        catch (Exception e) when ((e as PostgresException ?? e.InnerException as PostgresException) is { SqlState: "53200" })
        {
            throw new MigrationException(MigrationErrors.SchemaError,
                "building the desired model ran out of lock slots (out of shared memory, 53200): the build creates every object of " +
                "schema/ in one rolled-back transaction and PostgreSQL locks each one until the end. Raise max_locks_per_transaction " +
                "so that max_locks_per_transaction × (max_connections + max_prepared_transactions) exceeds about three times the " +
                "number of tables, indexes and sequences in schema/, or compile on the embedded server (`knowitall schema build` " +
                "without --connection) and let the functions and the CLI read the compiled model, which takes no lock at all", e);
        }
    }

    private static async Task<SchemaModel> LoadInScratchAsync(NpgsqlConnection connection, SchemaSource source, MigrationOptions options, CancellationToken cancellationToken)
    {
        var statements = source.Files.SelectMany(f => SqlScript.Split(f.Name, f.Text)).ToList();
        if (statements.Count == 0)
            throw new MigrationException(MigrationErrors.SchemaError, $"the schema files in {source.Origin} hold no statements");

        var extensions = new List<(string Name, SqlStatement At)>();
        var schemaGrants = new List<PrivilegeModel>();
        var executable = new List<SqlStatement>();
        foreach (var statement in statements)
        {
            Classify(statement, options, extensions, schemaGrants, executable);
        }

        var scratch = "knowitall_scratch_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        // Never committed: disposing the transaction rolls everything back, the scratch schema included.
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, tx, $"{SessionSql.LocalTimeouts(SessionSql.DesiredLoadLockTimeout, SessionSql.DesiredLoadStatementTimeout)}; CREATE SCHEMA {scratch}", cancellationToken);
        var installed = await InstalledExtensionsAsync(connection, tx, cancellationToken);
        var searchPath = new List<string> { scratch };
        foreach (var (name, at) in extensions)
        {
            if (installed.TryGetValue(name, out var schema))
            {
                if (!searchPath.Contains(schema)) searchPath.Add(schema);
                continue;
            }
            await RunStatementAsync(connection, tx, at with { Text = $"CREATE EXTENSION IF NOT EXISTS {Identifier.Quote(name)} SCHEMA {scratch}" }, at, cancellationToken);
        }
        await ExecuteAsync(connection, tx, "SET LOCAL search_path = " + string.Join(", ", searchPath.Select(Identifier.Quote)), cancellationToken);

        foreach (var statement in executable) await RunStatementAsync(connection, tx, statement, statement, cancellationToken);

        await RejectOutsideReferencesAsync(connection, tx, scratch, cancellationToken);
        var model = await CanonicalizeAsync(connection, tx, scratch, options, cancellationToken);
        var renamed = Rename(model, scratch, options.TargetSchema);
        return renamed with
        {
            Extensions = extensions.Select(e => new ExtensionModel(e.Name, installed.GetValueOrDefault(e.Name, options.TargetSchema))).ToList(),
            Privileges = [.. renamed.Privileges, .. schemaGrants],
        };
    }

    /// <summary>
    /// PostgreSQL's deparsed expressions do not always parse back to the same text (an IN list becomes
    /// ANY (ARRAY[...]::text[]) and then ARRAY[(...)::text]). The live side holds what the plan's deparsed text
    /// produced, so the desired side is rebuilt the same way: check constraints, partial and expression indexes
    /// and defaults are recreated in the scratch schema from their own deparsed text until nothing changes.
    /// </summary>
    private static async Task<SchemaModel> CanonicalizeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string scratch,
        MigrationOptions options, CancellationToken ct)
    {
        var model = await CatalogReader.ReadAsync(connection, scratch, options.LockTimeout, ct, tx);
        for (var round = 0; round < 3; round++)
        {
            var sql = new List<string>();
            foreach (var c in model.Constraints.Where(c => c.Type == 'c'))
            {
                var table = Identifier.Qualify(scratch, c.Table);
                sql.Add($"ALTER TABLE {table} DROP CONSTRAINT {Identifier.Quote(c.Name)}");
                sql.Add($"ALTER TABLE {table} ADD CONSTRAINT {Identifier.Quote(c.Name)} {c.Definition}{(c.IsValidated ? "" : " NOT VALID")}");
            }
            foreach (var i in model.Indexes)
            {
                sql.Add($"DROP INDEX {Identifier.Qualify(scratch, i.Name)}");
                sql.Add(i.Definition);
            }
            foreach (var t in model.Tables)
            foreach (var c in t.Columns.Where(c => c.Default is not null && c.Generated == '\0'))
                sql.Add($"ALTER TABLE {Identifier.Qualify(scratch, t.Name)} ALTER COLUMN {Identifier.Quote(c.Name)} SET DEFAULT {c.Default}");
            // Recreating an index or a check loses its comment; it is set again from the model read before.
            foreach (var c in model.Comments.Where(c => c.ObjectType is "INDEX" or "CONSTRAINT"))
                sql.Add($"COMMENT ON {c.ObjectType} {c.Identity} IS {Identifier.Literal(c.Text)}");
            if (sql.Count == 0) return model;
            await ExecuteAsync(connection, tx, string.Join(";\n", sql), ct);
            var next = await CatalogReader.ReadAsync(connection, scratch, options.LockTimeout, ct, tx);
            if (next.Fingerprint() == model.Fingerprint()) return next;
            model = next;
        }
        return model;
    }

    private static void Classify(SqlStatement statement, MigrationOptions options, List<(string, SqlStatement)> extensions,
        List<PrivilegeModel> schemaGrants, List<SqlStatement> executable)
    {
        var words = statement.Words;
        if (words.StartsWith("CREATE EXTENSION ", StringComparison.Ordinal))
        {
            var ext = ExtensionStatement().Match(words);
            if (!ext.Success)
                throw Error(statement, "CREATE EXTENSION [IF NOT EXISTS] name is accepted; VERSION, CASCADE and another schema are not modelled (the engine installs extensions in the target schema)");
            if (ext.Groups["schema"].Success && Unquote(ext.Groups["schema"].Value).ToLowerInvariant() != options.TargetSchema)
                throw Error(statement, $"extensions are installed in the target schema '{options.TargetSchema}'; another schema is not modelled");
            extensions.Add((Unquote(ext.Groups["name"].Value).ToLowerInvariant(), statement));
            return;
        }
        if (SchemaGrant().Match(words) is { Success: true } grant)
        {
            if (grant.Groups["option"].Success) throw Error(statement, "grant options (WITH GRANT OPTION) are not modelled");
            var target = Unquote(grant.Groups["schema"].Value).ToLowerInvariant();
            if (target != options.TargetSchema)
                throw Error(statement, $"GRANT on schema {target}: schema files describe the schema '{options.TargetSchema}' only");
            foreach (var privilege in SchemaPrivileges(grant.Groups["privs"].Value, statement))
            foreach (var grantee in grant.Groups["roles"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                schemaGrants.Add(new PrivilegeModel("schema", options.TargetSchema, null, privilege, Unquote(grantee).ToLowerInvariant()));
            return;
        }
        StatementAcceptance.Check(statement, options);
        executable.Add(statement);
    }

    private static IEnumerable<string> SchemaPrivileges(string list, SqlStatement at)
    {
        foreach (var raw in list.Split(',', StringSplitOptions.TrimEntries))
        {
            switch (raw)
            {
                case "USAGE": yield return "USAGE"; break;
                case "CREATE": yield return "CREATE"; break;
                case "ALL" or "ALL PRIVILEGES": yield return "USAGE"; yield return "CREATE"; break;
                default: throw Error(at, $"unknown schema privilege '{raw}'");
            }
        }
    }

    private static async Task RunStatementAsync(NpgsqlConnection connection, NpgsqlTransaction tx, SqlStatement run, SqlStatement reportAs, CancellationToken ct)
    {
        try
        {
            await ExecuteAsync(connection, tx, run.Text, ct);
        }
        catch (PostgresException e) when (Connections.Unavailable(e) is null && e.SqlState != "53200")
        {
            var line = e.Position > 0 ? reportAs.LineOf(e.Position) : reportAs.Line;
            var hint = e.SqlState == "42704" && e.MessageText.StartsWith("role ", StringComparison.Ordinal)
                ? " (roles are created outside schema/, e.g. by the RDS set-up; create it first)"
                : "";
            throw new MigrationException(MigrationErrors.SchemaError, $"{reportAs.File}:{line}: {e.MessageText}{hint} [{e.SqlState}]", e);
        }
    }

    private static async Task RejectOutsideReferencesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string scratch, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT k.conname, t.relname, rn.nspname || '.' || rt.relname
            FROM pg_catalog.pg_constraint k
            JOIN pg_catalog.pg_class t ON t.oid = k.conrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_catalog.pg_class rt ON rt.oid = k.confrelid
            JOIN pg_catalog.pg_namespace rn ON rn.oid = rt.relnamespace
            WHERE n.nspname = $1 AND rn.nspname <> $1
            LIMIT 1
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = scratch });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct))
            throw new MigrationException(MigrationErrors.SchemaError,
                $"foreign key {reader.GetString(0)} on table {reader.GetString(1)} references {reader.GetString(2)}, which schema/ does not define");
    }

    private static async Task<Dictionary<string, string>> InstalledExtensionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var installed = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(
            "SELECT e.extname, n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace", connection, tx);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) installed[reader.GetString(0)] = reader.GetString(1);
        return installed;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }

    internal static SchemaModel Rename(SchemaModel model, string from, string to)
    {
        string R(string s) => s.Replace(from + ".", to + ".", StringComparison.Ordinal);
        string? N(string? s) => s is null ? null : R(s);
        return model with
        {
            Schema = to,
            Tables = model.Tables.Select(t => t with
            {
                Columns = t.Columns.Select(c => c with { Type = R(c.Type), Default = N(c.Default) }).ToList(),
                PartitionKey = N(t.PartitionKey),
                PartitionBound = N(t.PartitionBound),
            }).ToList(),
            Indexes = model.Indexes.Select(i => i with { Definition = R(i.Definition) }).ToList(),
            Constraints = model.Constraints.Select(c => c with { Definition = R(c.Definition) }).ToList(),
            Sequences = model.Sequences.Select(s => s with { DataType = R(s.DataType) }).ToList(),
            Privileges = model.Privileges.Select(p => p.ObjectKind switch
            {
                "schema" => p with { ObjectName = to },
                "function" => p with { ObjectName = R(p.ObjectName) },
                _ => p,
            }).ToList(),
            Views = model.Views.Select(v => v with { Definition = R(v.Definition), Columns = v.Columns.Select(R).ToList() }).ToList(),
            Functions = model.Functions.Select(f => f with { ArgumentTypes = R(f.ArgumentTypes), Result = R(f.Result), Definition = R(f.Definition) }).ToList(),
            Triggers = model.Triggers.Select(t => t with { Definition = R(t.Definition) }).ToList(),
            Policies = model.Policies.Select(p => p with { Using = N(p.Using), Check = N(p.Check) }).ToList(),
            Comments = model.Comments.Select(c => c with { Identity = R(c.Identity) }).ToList(),
        };
    }

    private static string Unquote(string name) => name.Length > 1 && name[0] == '"' && name[^1] == '"' ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : name;

    private static MigrationException Error(SqlStatement at, string message) => new(MigrationErrors.SchemaError, $"{at.Location}: {message}");

    [GeneratedRegex("""^CREATE EXTENSION (IF NOT EXISTS )?(?<name>"[^"]+"|[A-Z0-9_\-]+)( (WITH )?SCHEMA (?<schema>"[^"]+"|[A-Z0-9_$]+))?$""")]
    private static partial Regex ExtensionStatement();

    [GeneratedRegex("""^GRANT (?<privs>[A-Z ,]+?) ON SCHEMA (?<schema>"[^"]+"|[A-Z0-9_$]+) TO (?<roles>.+?)(?<option> WITH GRANT OPTION)?$""")]
    private static partial Regex SchemaGrant();
}
