using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Kinds;
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
    public static async Task<SchemaModel> LoadAsync(NpgsqlConnection connection, SchemaSource source, MigrationOptions options,
        CancellationToken cancellationToken)
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
        catch (Exception e) when (e is not (MigrationException or OperationCanceledException) && Connections.Unavailable(e) is null)
        {
            // Whatever PostgreSQL or the engine refused while building the model is the schema's problem to the user, never a stack trace.
            var message = e is PostgresException pg ? $"{pg.MessageText} [{pg.SqlState}]" : e.Message;
            throw new MigrationException(MigrationErrors.SchemaError,
                $"building the desired model from {source.Origin} failed: {message}. The engine could not " +
                "read back what schema/ creates; write the construct another way or report it", e);
        }
    }

    private static async Task<SchemaModel> LoadInScratchAsync(NpgsqlConnection connection, SchemaSource source, MigrationOptions options,
        CancellationToken cancellationToken)
    {
        var statements = source.Files.SelectMany(f => SqlScript.Split(f.Name, f.Text)).ToList();
        if (statements.Count == 0)
            throw new MigrationException(MigrationErrors.SchemaError, $"the schema files in {source.Origin} hold no statements");

        var extensions = new List<(string Name, string Schema, string? Version, SqlStatement At)>();
        var schemaGrants = new List<PrivilegeModel>();
        var schemaGrantAt = new Dictionary<string, SqlStatement>(StringComparer.Ordinal);
        var executable = new List<SqlStatement>();
        var dump = new DumpStatements();
        dump.Schemas.AddRange(DumpInput.CreatedSchemas(statements, options));
        var declared = new Dictionary<SqlStatement, IReadOnlyList<Declaration>>();
        foreach (var statement in statements)
        {
            if (DumpInput.Accept(statement, options, dump)) continue;
            if (DeclarationParser.IsDeclaration(statement))
            {
                declared[statement] = DeclarationParser.Parse(statement, options.TargetSchema);
                executable.Add(statement);
                continue;
            }
            var grants = schemaGrants.Count;
            Classify(statement, options, dump.Schemas, extensions, schemaGrants, executable);
            foreach (var g in schemaGrants.Skip(grants)) schemaGrantAt.TryAdd(g.Grantee, statement);
        }

        // The schema's grants are read here, not run: a role they name must exist like any other statement's.
        if (await RoleCatalog.MissingAsync(connection, null, schemaGrants.Select(g => g.Grantee), cancellationToken) is [var role, ..] missing)
            throw Error(schemaGrantAt[role], RoleCatalog.Sentence(missing));
        if (await RoleCatalog.MissingAsync(connection, null, dump.Owners.Select(o => o.Role), cancellationToken) is [var absent, ..] owners)
            throw Error(dump.Owners.First(o => o.Role == absent).At, RoleCatalog.Sentence(owners));

        var scratch = "knowitall_scratch_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        // Each schema schema/ creates is built in a scratch schema of its own, named after the target's.
        var scratches = dump.Schemas.Select((name, n) => (Scratch: $"{scratch}_{n + 1}", Schema: name))
            .Prepend((Scratch: scratch, Schema: options.TargetSchema))
            .ToList();
        // Never committed: disposing the transaction rolls everything back, the scratch schema included.
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, tx,
            $"{SessionSql.LocalTimeouts(SessionSql.DesiredLoadLockTimeout, SessionSql.DesiredLoadStatementTimeout)}; " +
            string.Join("; ", scratches.Select(s => $"CREATE SCHEMA {s.Scratch}")),
            cancellationToken);
        var installed = await InstalledExtensionsAsync(connection, tx, cancellationToken);
        var searchPath = new List<string> { scratch };
        foreach (var (name, declaredSchema, version, at) in extensions)
        {
            if (installed.TryGetValue(name, out var schema))
            {
                if (!searchPath.Contains(schema)) searchPath.Add(schema);
                continue;
            }
            var into = scratches.First(s => s.Schema == declaredSchema).Scratch;
            var create = $"CREATE EXTENSION IF NOT EXISTS {Identifier.Quote(name)} SCHEMA {into}{Planning.ExtensionPlanner.VersionClause(version)}";
            await RunStatementAsync(connection, tx, at with { Text = create }, at, cancellationToken);
        }
        var setSearchPath = "SET LOCAL search_path = " + string.Join(", ", searchPath.Select(Identifier.Quote));
        await ExecuteAsync(connection, tx, setSearchPath, cancellationToken);
        foreach (var setting in dump.LocalSettings) await ExecuteAsync(connection, tx, setting, cancellationToken);

        var names = new QualifiedNames(scratches.ToDictionary(s => s.Schema, s => s.Scratch, StringComparer.Ordinal),
            await ExtensionMembersAsync(connection, tx, [.. scratches.Select(s => s.Schema)], cancellationToken));
        var declarations = new List<Declaration>();
        foreach (var statement in executable)
        {
            var inScratch = statement with { Text = names.ToScratch(statement.Text) };
            if (declared.TryGetValue(statement, out var made))
                declarations.AddRange(await RunDeclarationAsync(connection, tx, inScratch, statement, made, scratch, options.TargetSchema,
                    cancellationToken));
            else await RunStatementAsync(connection, tx, inScratch, statement, cancellationToken);
        }

        string[] scratchNames = [.. scratches.Select(s => s.Scratch)];
        await RejectOutsideObjectsAsync(connection, tx, scratchNames, cancellationToken);
        await RejectOutsideReferencesAsync(connection, tx, scratchNames, cancellationToken);
        await RejectUnmodelledAsync(connection, tx, scratchNames, executable, cancellationToken);
        // Resolved before the catalog reader sets its own search_path: the owners' names resolve as the statements before them did.
        var stated = await DeclaredOwners.ResolveAsync(connection, tx, dump.Owners, names, scratches, cancellationToken);
        var models = new List<SchemaModel>();
        foreach (var s in scratches)
        {
            var model = await CanonicalizeAsync(connection, tx, s.Scratch, options, cancellationToken) with { Owners = stated[s.Scratch] };
            models.Add(Rename(model, scratches, s.Schema));
        }
        var comments = await DeclaredCommentsAsync(connection, tx, dump, extensions, cancellationToken);
        var others = models.Skip(1).Select(m => m with
        {
            // Extensions are the target schema's model's, wherever they are installed.
            Extensions = [],
            Privileges = [.. m.Privileges, .. schemaGrants.Where(g => g.ObjectName == m.Schema)],
            Comments = [.. m.Comments.Where(c => c.ObjectType is not ("SCHEMA" or "EXTENSION")),
                .. comments.Where(c => c.ObjectType == "SCHEMA" && c.Identity == LiveRename.Spell(m.Schema))],
        }).ToList();
        var renamed = models[0];
        var desired = renamed with
        {
            Extensions = extensions.Select(e => new ExtensionModel(e.Name, installed.GetValueOrDefault(e.Name, e.Schema)) { Version = e.Version })
                .ToList(),
            // A default privilege schema/ revokes (EXECUTE for PUBLIC) is not what schema/ wants, although the scratch load has it.
            Privileges = [.. renamed.Privileges.Where(p => !(p.Initial && declarations.Any(d => DeclarationDiff.Covers(d, p)))),
                .. schemaGrants.Where(g => g.ObjectName == options.TargetSchema && !declarations.Any(d => DeclarationDiff.Covers(d, g)))],
            // The comments an extension's script sets in the scratch schema are its own; only those schema/ declares count.
            Comments = [.. renamed.Comments.Where(c => c.ObjectType is not ("SCHEMA" or "EXTENSION")),
                .. comments.Where(c => c.ObjectType == "EXTENSION" || others.All(o => c.Identity != LiveRename.Spell(o.Schema)))],
            Declarations = declarations,
            Schemas = others,
        };
        DeclarationDiff.CheckAgainst(desired);
        return desired;
    }

    /// <summary>
    /// A declaration runs in the scratch schema when schema/ itself created its objects earlier in the files, so the model
    /// lacks the object (or has it renamed) exactly as PostgreSQL leaves it. When its object exists only in the live
    /// database (schema/ no longer creates it, or already creates it under the new name) it is recorded without running:
    /// it is never run by name resolution alone, because search_path also holds the schemas of installed extensions and
    /// an unqualified name could reach a real object there. A statement naming objects of both sorts is refused.
    /// </summary>
    private static async Task<IReadOnlyList<Declaration>> RunDeclarationAsync(NpgsqlConnection connection, NpgsqlTransaction tx, SqlStatement run,
        SqlStatement statement, IReadOnlyList<Declaration> declarations, string scratch, string targetSchema, CancellationToken ct)
    {
        var inScratch = new List<bool>();
        foreach (var d in declarations) inScratch.Add(await ExistsInScratchAsync(connection, tx, scratch, d, ct));
        var spelled = new List<Declaration>();
        foreach (var d in declarations)
            spelled.Add(d.Kind is "function" or "procedure" || d is { Action: DeclarationAction.Revoke, Table: "function" }
                ? d with { Name = await SpellSignatureAsync(connection, tx, d.Name, scratch, targetSchema, ct) }
                : d);
        if (inScratch.All(x => !x)) return spelled;
        if (inScratch.Any(x => !x))
            throw Error(statement, "this statement names objects schema/ creates and objects it does not: declare them in separate statements");
        await RunStatementAsync(connection, tx, run, statement, ct);
        return spelled;
    }

    /// <summary>Whether the declaration's (old) object is one schema/ created, in the scratch schema itself.</summary>
    private static async Task<bool> ExistsInScratchAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string scratch, Declaration d,
        CancellationToken ct)
    {
        const string TypeExists =
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 " +
            "AND t.typname = $2)";
        const string Relation =
            "SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = " +
            "$2";
        var (sql, args) = d.Kind switch
        {
            "table" or "view" or "materialized_view" or "index" or "sequence" => ($"SELECT EXISTS ({Relation})", new[] { d.Name }),
            "column" =>
                ($"SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = ({Relation}) AND a.attname = $3 AND a.attnum > 0 AND " +
                    "NOT a.attisdropped)", [d.Table!, d.Name]),
            "constraint" => ($"SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conrelid = ({Relation}) AND k.conname = $3)",
                [d.Table!, d.Name]),
            "trigger" => ($"SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = ({Relation}) AND t.tgname = $3)",
                [d.Table!, d.Name]),
            "policy" => ($"SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = ({Relation}) AND p.polname = $3)",
                [d.Table!, d.Name]),
            "type" => (TypeExists, [d.Name]),
            "enum_value" => ("""
                SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid
                JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typname = $2 AND e.enumlabel = $3)
                """, [d.Table!, d.Name]),
            "function" or "procedure" => ("SELECT pg_catalog.to_regprocedure(pg_catalog.quote_ident($1) || '.' || $2) IS NOT NULL",
                [Routine(d.Name)]),
            "privilege" => d.Table switch
            {
                "schema" => ("SELECT false", []),
                "function" => ("SELECT pg_catalog.to_regprocedure(pg_catalog.quote_ident($1) || '.' || $2) IS NOT NULL", [Routine(d.Name)]),
                "type" => (TypeExists, [d.Name]),
                _ => ($"SELECT EXISTS ({Relation})", new[] { d.Name }),
            },
            _ => ("SELECT false", Array.Empty<string>()),
        };
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = scratch });
        foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>"name(types)" with the name quoted, for to_regprocedure (the types resolve through search_path).</summary>
    private static string Routine(string signature)
    {
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        return Identifier.Quote(signature[..open]) + signature[open..];
    }

    /// <summary>
    /// A routine's signature as the catalog reader spells it (oidvectortypes with search_path pg_catalog: a schema/ type
    /// qualified with the target schema), so "f(int)" in a DROP FUNCTION finds the live "f(integer)". A type PostgreSQL
    /// does not know here (one only the live database has) keeps the spelling it was written with.
    /// </summary>
    private static async Task<string> SpellSignatureAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string signature, string scratch,
        string targetSchema, CancellationToken ct)
    {
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        var types = signature[(open + 1)..^1];
        if (types.Length == 0) return signature;
        var spelled = new List<string>();
        foreach (var type in StatementAcceptance.SplitTopLevel(types))
        {
            await using var resolve = new NpgsqlCommand("SELECT pg_catalog.to_regtype($1)::oid", connection, tx);
            resolve.Parameters.Add(new NpgsqlParameter { Value = type });
            if (await resolve.ExecuteScalarAsync(ct) is not uint oid)
            {
                spelled.Add(type);
                continue;
            }
            var path = await CurrentSearchPathAsync(connection, tx, ct);
            await ExecuteAsync(connection, tx, "SELECT pg_catalog.set_config('search_path', 'pg_catalog', true)", ct);
            await using var format = new NpgsqlCommand("SELECT pg_catalog.format_type($1, NULL)", connection, tx);
            format.Parameters.Add(new NpgsqlParameter { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
            var name = (string)(await format.ExecuteScalarAsync(ct))!;
            await ExecuteAsync(connection, tx, $"SELECT pg_catalog.set_config('search_path', {Identifier.Literal(path)}, true)", ct);
            spelled.Add(name.Replace(scratch + ".", targetSchema + ".", StringComparison.Ordinal));
        }
        return $"{signature[..open]}({string.Join(", ", spelled)})";
    }

    private static async Task<string> CurrentSearchPathAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_catalog.current_setting('search_path')", connection, tx);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// PostgreSQL's deparsed expressions do not always parse back to the same text (an IN list becomes
    /// ANY (ARRAY[...]::text[]) and then ARRAY[(...)::text]). The live side holds what the plan's deparsed text
    /// produced, so the desired side is rebuilt the same way: check constraints, partial and expression indexes
    /// and defaults, and the checks and defaults of domains, are recreated in the scratch schema from their own deparsed text
    /// until nothing changes.
    /// </summary>
    private static async Task<SchemaModel> CanonicalizeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string scratch,
        MigrationOptions options, CancellationToken ct)
    {
        var model = await CatalogReader.ReadAsync(connection, scratch, options.LockTimeout, ct, tx);
        for (var round = 0; round < 3; round++)
        {
            var steps = await RecreatableAsync(connection, tx, scratch, ct);
            foreach (var t in model.Tables)
                foreach (var c in t.Columns.Where(c => c.Default is not null && c.Generated == '\0'))
                {
                    // ONLY: on a partitioned table the default would otherwise reach its partitions, which have their own.
                    steps.Add(new($"the default of column {c.Name} of table {t.Name}",
                        $"ALTER TABLE ONLY {Identifier.Qualify(scratch, t.Name)} ALTER COLUMN {Identifier.Quote(c.Name)} SET DEFAULT {c.Default}"));
                }
            foreach (var d in model.Domains)
            {
                var domain = Identifier.Qualify(scratch, d.Name);
                if (d.Default is not null) steps.Add(new($"the default of domain {d.Name}", $"ALTER DOMAIN {domain} SET DEFAULT {d.Default}"));
                foreach (var k in d.Checks)
                {
                    var subject = $"check {k.Name} of domain {d.Name}";
                    steps.Add(new(subject, $"ALTER DOMAIN {domain} DROP CONSTRAINT {Identifier.Quote(k.Name)}"));
                    steps.Add(
                        new(subject,
                            $"ALTER DOMAIN {domain} ADD CONSTRAINT {Identifier.Quote(k.Name)} {k.Definition}{(k.IsValidated ? "" : " NOT VALID")}"));
                }
            }
            if (steps.Count == 0) return model;
            await RunCanonicalStepsAsync(connection, tx, steps, ct);
            var next = await CatalogReader.ReadAsync(connection, scratch, options.LockTimeout, ct, tx);
            if (next.Fingerprint() == model.Fingerprint()) return next;
            model = next;
        }
        return model;
    }

    /// <summary>One statement of the canonicalisation and the object it recreates, to name in an error.</summary>
    private sealed record CanonicalStep(string Subject, string Sql);

    /// <summary>
    /// The checks and the partial and expression indexes to recreate, as drop-and-create steps (their comments set
    /// again: recreating loses them). Left alone, because dropping them would fail or take other objects with them,
    /// and their text is another object's: indexes that back a constraint, partitions' indexes attached to their
    /// parent's, indexes other objects depend on (a foreign key referencing a unique index), and checks inherited
    /// from a parent. Indexes on plain columns are not recreated at all: their text parses back to itself.
    /// </summary>
    private static async Task<List<CanonicalStep>> RecreatableAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string scratch,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT true, i.relname, t.relname, pg_get_indexdef(i.oid), obj_description(i.oid, 'pg_class')
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relnamespace = $1::regnamespace AND (x.indexprs IS NOT NULL OR x.indpred IS NOT NULL) AND NOT i.relispartition
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = i.oid AND d.deptype IN ('i', 'e'))
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = i.oid AND d.deptype = 'n')
            UNION ALL
            SELECT false, k.conname, t.relname, pg_get_constraintdef(k.oid), obj_description(k.oid, 'pg_constraint')
            FROM pg_constraint k
            JOIN pg_class t ON t.oid = k.conrelid
            WHERE t.relnamespace = $1::regnamespace AND k.contype = 'c' AND k.conislocal AND k.coninhcount = 0 AND k.conparentid = 0
            ORDER BY 1, 3, 2
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = scratch });
        var steps = new List<CanonicalStep>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (isIndex, name, table, definition) = (reader.GetBoolean(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            var comment = reader.IsDBNull(4) ? null : reader.GetString(4);
            var qualifiedTable = Identifier.Qualify(scratch, table);
            if (isIndex)
            {
                var subject = $"index {name} on table {table}";
                steps.Add(new(subject, $"DROP INDEX {Identifier.Qualify(scratch, name)}"));
                steps.Add(new(subject, definition));
                if (comment is not null)
                    steps.Add(new(subject, $"COMMENT ON INDEX {Identifier.Qualify(scratch, name)} IS {Identifier.Literal(comment)}"));
            }
            else
            {
                var subject = $"check {name} on table {table}";
                steps.Add(new(subject, $"ALTER TABLE {qualifiedTable} DROP CONSTRAINT {Identifier.Quote(name)}"));
                steps.Add(new(subject, $"ALTER TABLE {qualifiedTable} ADD CONSTRAINT {Identifier.Quote(name)} {definition}"));
                if (comment is not null)
                    steps.Add(new(subject, $"COMMENT ON CONSTRAINT {Identifier.Quote(name)} ON {qualifiedTable} IS {Identifier.Literal(comment)}"));
            }
        }
        return steps;
    }

    /// <summary>Runs the steps in one round trip; a step PostgreSQL refuses is a SchemaError naming its object.</summary>
    private static async Task RunCanonicalStepsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<CanonicalStep> steps,
        CancellationToken ct)
    {
        if (await StatementBatch.RunAsync(connection, tx, steps.Select(s => s.Sql).ToList(), ct) is not { } failure) return;
        var (index, e) = failure;
        if (e.SqlState == "53200") throw e;
        var subject = index >= 0 ? steps[index].Subject : "an object of schema/";
        throw new MigrationException(MigrationErrors.SchemaError,
            $"schema/ ran, but recreating {subject} to normalise its text failed: {e.MessageText} [{e.SqlState}]. " +
            "This construct is not supported by the engine; write it another way or report it", e);
    }

    private static void Classify(SqlStatement statement, MigrationOptions options, IReadOnlyList<string> schemas,
        List<(string, string, string?, SqlStatement)> extensions, List<PrivilegeModel> schemaGrants, List<SqlStatement> executable)
    {
        var words = statement.Words;
        if (words.StartsWith("CREATE EXTENSION ", StringComparison.Ordinal))
        {
            var ext = ExtensionStatement().Match(words);
            if (!ext.Success)
                throw Error(statement,
                    "CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA schema] [VERSION 'version'] is accepted; CASCADE is not modelled " +
                    "(create each extension it would install)");
            var schema = ext.Groups["schema"].Success ? Unquote(ext.Groups["schema"].Value).ToLowerInvariant() : options.TargetSchema;
            if (schema != options.TargetSchema && !schemas.Contains(schema))
                throw Error(statement,
                    $"extension schema {schema}: extensions are installed in the target schema '{options.TargetSchema}' or in a schema " +
                    "schema/ creates (CREATE SCHEMA)");
            extensions.Add((Unquote(ext.Groups["name"].Value).ToLowerInvariant(), schema,
                ext.Groups["version"].Success ? ext.Groups["version"].Value[1..^1] : null, statement));
            return;
        }
        if (SchemaGrant().Match(words) is { Success: true } grant)
        {
            var target = Unquote(grant.Groups["schema"].Value).ToLowerInvariant();
            if (target != options.TargetSchema && !schemas.Contains(target))
                throw Error(statement,
                    $"GRANT on schema {target}: schema files describe the target schema '{options.TargetSchema}' and the schemas they create");
            var grantable = grant.Groups["option"].Success;
            foreach (var privilege in SchemaPrivileges(grant.Groups["privs"].Value, statement))
                foreach (var grantee in grant.Groups["roles"].Value.Split(',',
                    StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    // PUBLIC unquoted is everyone, as the catalog spells it; "public" quoted would be a role of that name.
                    var role = grantee == "PUBLIC" ? "PUBLIC" : Unquote(grantee).ToLowerInvariant();
                    if (grantable && role == "PUBLIC") throw Error(statement, "grant options can only be granted to roles, not to PUBLIC");
                    schemaGrants.Add(new PrivilegeModel(PrivilegeObjectKind.Schema, target, null, privilege,
                        role)
                    { Grantable = grantable });
                }
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

    private static async Task RunStatementAsync(NpgsqlConnection connection, NpgsqlTransaction tx, SqlStatement run, SqlStatement reportAs,
        CancellationToken ct)
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

    /// <summary>
    /// A name qualified with a schema schema/ does not manage would have created or changed a real object (rolled back
    /// with the rest, but not part of the model): refused, naming it. Rows this transaction wrote carry its id as xmin.
    /// </summary>
    private static async Task RejectOutsideObjectsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string[] scratch, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            WITH mine AS (SELECT (txid_current() % 4294967296)::text AS xid)
            SELECT x.kind, n.nspname || '.' || x.name
            FROM (SELECT 'relation' AS kind, relname::text AS name, relnamespace AS ns, xmin FROM pg_catalog.pg_class
                  UNION ALL SELECT 'function', proname::text, pronamespace, xmin FROM pg_catalog.pg_proc
                  UNION ALL SELECT 'type', typname::text, typnamespace, xmin FROM pg_catalog.pg_type) x
            JOIN pg_catalog.pg_namespace n ON n.oid = x.ns, mine
            WHERE x.xmin::text = mine.xid AND n.nspname <> ALL ($1) AND n.nspname <> 'pg_toast'
            LIMIT 1
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = scratch });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct))
            throw new MigrationException(MigrationErrors.SchemaError,
                $"schema/ creates or changes {reader.GetString(0)} {reader.GetString(1)}, outside the schema it describes: " +
                "names are either unqualified or qualified with the target schema or a schema schema/ creates");
    }

    private static async Task RejectOutsideReferencesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string[] scratch,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT k.conname, t.relname, rn.nspname || '.' || rt.relname
            FROM pg_catalog.pg_constraint k
            JOIN pg_catalog.pg_class t ON t.oid = k.conrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_catalog.pg_class rt ON rt.oid = k.confrelid
            JOIN pg_catalog.pg_namespace rn ON rn.oid = rt.relnamespace
            WHERE n.nspname = ANY ($1) AND rn.nspname <> ALL ($1)
            LIMIT 1
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = scratch });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct))
            throw new MigrationException(MigrationErrors.SchemaError,
                $"foreign key {reader.GetString(0)} on table {reader.GetString(1)} references {reader.GetString(2)}, which schema/ does not define");
    }

    /// <summary>
    /// The objects extensions installed in <paramref name="schemas"/> own, as "schema.name": a qualified reference to one
    /// (pg_dump's <c>public.citext</c>) names the installed object, which the build uses instead of its own.
    /// </summary>
    /// <summary>The objects extensions installed in <paramref name="schemas"/> own, as schema.name.</summary>
    internal static async Task<HashSet<string>> ExtensionMembersAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string[] schemas,
        CancellationToken ct)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("""
            SELECT n.nspname || '.' || x.name
            FROM (SELECT 'pg_type'::regclass AS cls, oid, typnamespace AS ns, typname::text AS name FROM pg_catalog.pg_type
                  UNION ALL SELECT 'pg_proc'::regclass, oid, pronamespace, proname::text FROM pg_catalog.pg_proc
                  UNION ALL SELECT 'pg_operator'::regclass, oid, oprnamespace, oprname::text FROM pg_catalog.pg_operator
                  UNION ALL SELECT 'pg_opclass'::regclass, oid, opcnamespace, opcname::text FROM pg_catalog.pg_opclass
                  UNION ALL SELECT 'pg_opfamily'::regclass, oid, opfnamespace, opfname::text FROM pg_catalog.pg_opfamily
                  UNION ALL SELECT 'pg_collation'::regclass, oid, collnamespace, collname::text FROM pg_catalog.pg_collation
                  UNION ALL SELECT 'pg_class'::regclass, oid, relnamespace, relname::text FROM pg_catalog.pg_class) x
            JOIN pg_catalog.pg_namespace n ON n.oid = x.ns
            WHERE n.nspname = ANY($1)
              AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = x.cls AND d.objid = x.oid AND d.deptype = 'e')
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = schemas });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) members.Add(reader.GetString(0));
        return members;
    }

    /// <summary>Comments on the target schema and on extensions, keyed by the server's own quoting of the name, as the catalog reads them.</summary>
    private static async Task<List<CommentModel>> DeclaredCommentsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, DumpStatements dump,
        List<(string Name, string Schema, string? Version, SqlStatement At)> extensions, CancellationToken ct)
    {
        var comments = new List<CommentModel>();
        foreach (var c in dump.Comments)
        {
            if (c.ObjectType == "EXTENSION" && !extensions.Any(e => e.Name == c.Name))
                throw DumpInput.Error(c.At, $"COMMENT ON EXTENSION {c.Name}: schema/ does not create extension {c.Name} (CREATE EXTENSION)");
            await using var command = new NpgsqlCommand("SELECT pg_catalog.quote_ident($1)", connection, tx);
            command.Parameters.Add(new NpgsqlParameter { Value = c.Name });
            var identity = (string)(await command.ExecuteScalarAsync(ct))!;
            comments.RemoveAll(k => k.ObjectType == c.ObjectType && k.Identity == identity);
            if (c.Text is not null) comments.Add(new CommentModel(c.ObjectType, identity, c.Text));
        }
        return comments;
    }

    /// <summary>
    /// Attributes CREATE TABLE accepts that the model has no field for: left in, they would pass validate as present
    /// while the database never gets them.
    /// </summary>
    private static async Task RejectUnmodelledAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string[] scratch,
        IReadOnlyList<SqlStatement> statements, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname, a.attname
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace::regnamespace::text = ANY ($1) AND a.attnum > 0 AND NOT a.attisdropped AND a.attcompression <> ''
            LIMIT 1
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = scratch });
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
                throw new MigrationException(MigrationErrors.SchemaError,
                    $"column {reader.GetString(1)} of table {reader.GetString(0)} sets COMPRESSION, which this engine does not model (it would " +
                    "never reach the database); remove the clause");
        }

        // CREATE INDEX ... ON ONLY (as pg_dump writes a partitioned table's index) stays invalid until every partition's index is
        // attached; the engine creates indexes that are valid, so one left invalid is refused rather than planned differently.
        await using var invalid = new NpgsqlCommand("""
            SELECT i.relname, t.relname,
                   (SELECT string_agg(p.relname, ', ' ORDER BY p.relname) FROM pg_catalog.pg_inherits h
                    JOIN pg_catalog.pg_class p ON p.oid = h.inhrelid
                    WHERE h.inhparent = t.oid
                      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits hi JOIN pg_catalog.pg_index pi ON pi.indexrelid = hi.inhrelid
                                      WHERE hi.inhparent = i.oid AND pi.indrelid = p.oid))
            FROM pg_catalog.pg_index x
            JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
            JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
            WHERE i.relnamespace::regnamespace::text = ANY ($1) AND NOT x.indisvalid
            ORDER BY 1
            LIMIT 1
            """, connection, tx);
        invalid.Parameters.Add(new NpgsqlParameter { Value = scratch });
        await using var rows = await invalid.ExecuteReaderAsync(ct);
        if (!await rows.ReadAsync(ct)) return;
        var (index, table) = (rows.GetString(0), rows.GetString(1));
        var message = $"index {index} on table {table} is created ON ONLY and stays invalid: " +
                      (rows.IsDBNull(2) ? "" : $"no index of partition {rows.GetString(2)} is attached to it. ") +
                      $"Attach each partition's index (ALTER INDEX {index} ATTACH PARTITION …) or create it without ONLY";
        var at = statements.FirstOrDefault(s => OnlyIndex().Match(s.Words) is { Success: true } m && Name(m.Groups["name"].Value) == index);
        throw at is null ? new MigrationException(MigrationErrors.SchemaError, message) : Error(at, message);
    }

    private static async Task<Dictionary<string, string>> InstalledExtensionsAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        CancellationToken ct)
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

    /// <summary>
    /// The model of one scratch schema with every scratch name in its texts replaced by the real schema's, spelled as the
    /// catalog spells it; <paramref name="to"/> is the schema this model is of.
    /// </summary>
    internal static SchemaModel Rename(SchemaModel model, IReadOnlyList<(string Scratch, string Schema)> scratches, string to)
    {
        string R(string s)
        {
            foreach (var (from, real) in scratches) s = s.Replace(from + ".", LiveRename.Spell(real) + ".", StringComparison.Ordinal);
            return s;
        }
        var renamed = model with { Schema = to };
        foreach (var kind in KindRegistry.All) renamed = kind.Rename(renamed, R, to);
        return renamed;
    }

    private static string Unquote(string name) => name.Length > 1 && name[0] == '"'
        && name[^1] == '"' ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : name;

    /// <summary>A name as a statement's words spell it (upper case unless quoted), as the catalog has it.</summary>
    private static string Name(string spelled) => spelled.StartsWith('"') ? Unquote(spelled) : spelled.ToLowerInvariant();

    private static MigrationException Error(SqlStatement at, string message) => new(MigrationErrors.SchemaError, $"{at.Location}: {message}");

    [GeneratedRegex("""^CREATE (UNIQUE )?INDEX (IF NOT EXISTS )?(?<name>"[^"]+"|[^\s"(]+) ON ONLY """)]
    private static partial Regex OnlyIndex();

    [GeneratedRegex("""
        ^CREATE\ EXTENSION\ (IF\ NOT\ EXISTS\ )?(?<name>"[^"]+"|[A-Z0-9_\-]+)(\ WITH)?(\ SCHEMA\ (?<schema>"[^"]+"|[A-Z0-9_$]+))?
        (\ VERSION\ (?<version>'[^']+'|"[^"]+"))?$
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex ExtensionStatement();

    [GeneratedRegex("""^GRANT (?<privs>[A-Z ,]+?) ON SCHEMA (?<schema>"[^"]+"|[A-Z0-9_$]+) TO (?<roles>.+?)(?<option> WITH GRANT OPTION)?$""")]
    private static partial Regex SchemaGrant();
}
