using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Proves a plan before it is returned, so that it cannot fail at apply for a reason visible now: the live objects its
/// statements name (and, transitively, those they depend on) are re-created empty in a scratch schema from the live
/// model, and the plan's statements run against that copy, in order, in one transaction that is always rolled back.
/// No live object is locked or changed. A statement PostgreSQL refuses fails the plan, naming it and the error.
/// </summary>
/// <remarks>
/// What the copy cannot show is not proved: rows (a check or NOT NULL the data violates, a unique build over duplicates),
/// and the enum values a plan adds before its transaction (the copy already has them: PostgreSQL forbids using a value
/// in the transaction that added it). A copy the engine cannot build from the live model proves nothing either way, and
/// the plan is returned as it is: the copy is the engine's reconstruction, and its failure says nothing about the plan.
/// </remarks>
internal static class PlanProof
{
    public static async Task ProveAsync(NpgsqlConnection connection, MigrationPlan plan, IReadOnlyList<ManagedSchema> schemas,
        MigrationOptions options, CancellationToken ct)
    {
        if (plan.Blocking.Count > 0) return;
        var proved = plan.Statements.SkipWhile(s => !s.Transactional).ToList();
        if (proved.Count == 0) return;

        var scratch = "knowitall_proof_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using var tx = await connection.BeginTransactionAsync(ct);
        // What an installed extension owns in the schema (public.citext) is used where it is, never copied.
        var members = await Desired.DesiredSchemaLoader.ExtensionMembersAsync(connection, tx, [.. schemas.Select(s => s.Desired.Schema)], ct);
        // Each managed schema is copied into a scratch schema of its own.
        var targets = schemas.Select((s, n) => new Names(s.Desired.Schema, members, n == 0 ? scratch : $"{scratch}_{n}")).ToList();
        var identities = await IdentitySequencesAsync(connection, tx, [.. schemas.Select(s => s.Desired.Schema)], ct);
        // The copies' identity sequences take the live names, which statements may use.
        var sequenceNames = new List<string>();
        var copies = schemas.Zip(targets, (s, names) =>
        {
            var mine = identities.Where(i => i.Schema == s.Desired.Schema).ToList();
            var copy = Copy(names, proved, s.Desired, s.Live, mine);
            sequenceNames.AddRange(mine.Where(i => copy.Table(i.Table) is not null).Select(i => i.RenameInCopy(names.Scratch)));
            return new ManagedSchema(copy, Empty(s.Live), SchemaComparer.Compare(copy, Empty(s.Live)));
        }).ToList();
        var copyPlan = await Planner.PlanAsync(copies, "", "", options,
            (_, _) => Task.FromResult<IReadOnlyDictionary<string, TableSize>>(new Dictionary<string, TableSize>()));

        await using (var setup = new NpgsqlCommand(
            $"SET LOCAL lock_timeout = {(long)options.LockTimeout.TotalMilliseconds}; SET LOCAL statement_timeout = " +
            $"{(long)options.StatementTimeout.TotalMilliseconds}; " +
            $"SET LOCAL check_function_bodies = off; {string.Join("; ", targets.Select(t => $"CREATE SCHEMA {Identifier.Quote(t.Scratch)}"))}",
            connection, tx))
        {
            await setup.ExecuteNonQueryAsync(ct);
        }

        // A copy that cannot be built proves nothing about the plan (see the remarks).
        if (await StatementBatch.RunAsync(connection, tx,
                [.. Retargeted(copyPlan.Statements, targets), .. sequenceNames], ct) is not null) return;

        if (await StatementBatch.RunAsync(connection, tx, Retargeted(proved, targets), ct) is not { } failure) return;
        var (index, e) = failure;
        var failed = index >= 0 ? proved[index] : null;
        var which = failed is null
            ? "its statements together"
            : $"statement {failed.Order} ({failed.Kind.ToWire()} {failed.ObjectName}: {Shorten(failed.Sql)})";
        throw new MigrationException(MigrationErrors.PlanInvalid,
            $"the plan would fail at apply: PostgreSQL refuses {which}: {e.MessageText} [{e.SqlState}]. It was run against an empty copy of " +
            "the objects it touches, in a transaction rolled back; nothing was changed", e);
    }

    /// <summary>
    /// The live objects the statements name, closed over what each of them names in turn, without grants, comments or
    /// extensions. A table only referenced (by a foreign key, a partition, a sequence's owner) is copied as a shell: its
    /// columns and keys, not what it references in turn, so a chain of foreign keys does not copy the whole schema.
    /// </summary>
    private static SchemaModel Copy(Names names, IEnumerable<PlannedStatement> statements, SchemaModel desired, SchemaModel live,
        IReadOnlyList<IdentitySequence> identities)
    {
        var copy = new ProofCopy(names.In);
        foreach (var s in statements) copy.WantIn(s.Sql);
        // A live relation holding a name the desired schema gives a relation of another kind (a table where schema/ has a
        // key's index, a plain index where it has a key): the plan's CREATE would collide with it unless the plan moves it.
        var liveRelations = Relations(live);
        foreach (var (name, kind) in Relations(desired))
            if (liveRelations.TryGetValue(name, out var held) && held != kind) copy.Want(name);
        while (copy.Next(out var next))
        {
            foreach (var kind in KindRegistry.All) kind.CopyWants(live, next.Name, next.Whole, copy);
            // An identity's sequence is no sequence of the model: its table makes it.
            if (next.Whole) foreach (var i in identities.Where(i => i.Sequence == next.Name)) copy.WantShell(i.Table);
        }
        return KindRegistry.All.Aggregate(live, (model, kind) => kind.Copied(model, desired, copy));
    }

    /// <summary>The sequences of the identity columns of the managed schemas' tables, by schema, table and column.</summary>
    private static async Task<List<IdentitySequence>> IdentitySequencesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string[] schemas,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT n.nspname, t.relname, a.attname, s.relname
            FROM pg_depend d
            JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i' AND n.nspname = ANY ($1)
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = schemas });
        var identities = new List<IdentitySequence>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            identities.Add(new IdentitySequence(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return identities;
    }

    /// <summary>The sequence of an identity column, which a statement may name (GRANT USAGE ON SEQUENCE).</summary>
    private sealed record IdentitySequence(string Schema, string Table, string Column, string Sequence)
    {
        /// <summary>The copy's identity sequence renamed to the live one's name (PostgreSQL named it from the table and column, which a
        /// renamed table no longer gives).</summary>
        public string RenameInCopy(string scratch)
        {
            var table = Identifier.Literal(Identifier.Qualify(scratch, Table));
            return $"""
                DO $knowitall$
                DECLARE s regclass := pg_catalog.pg_get_serial_sequence({table}, {Identifier.Literal(Column)})::regclass;
                BEGIN
                    IF (SELECT relname FROM pg_catalog.pg_class WHERE oid = s) <> {Identifier.Literal(Sequence)} THEN
                        EXECUTE pg_catalog.format('ALTER SEQUENCE %s RENAME TO %I', s, {Identifier.Literal(Sequence)});
                    END IF;
                END
                $knowitall$
                """;
        }
    }

    /// <summary>The names a schema's relations hold (tables, views, sequences, indexes, the indexes of keys), with their kind.</summary>
    private static Dictionary<string, string> Relations(SchemaModel model)
    {
        var relations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in model.Tables) relations.TryAdd(t.Name, "table");
        foreach (var v in model.Views) relations.TryAdd(v.Name, v.Materialized ? "materialized view" : "view");
        foreach (var q in model.Sequences) relations.TryAdd(q.Name, "sequence");
        foreach (var k in model.Constraints.Where(k => k.Type is 'p' or 'u' or 'x')) relations.TryAdd(k.Name, "key");
        foreach (var i in model.Indexes) relations.TryAdd(i.Name, "index");
        return relations;
    }

    private static SchemaModel Empty(SchemaModel live) => new(live.Schema, [], [], [], [], [], [], live.VolatileFunctions);

    private static List<string> Retargeted(IEnumerable<PlannedStatement> statements, IReadOnlyList<Names> targets) =>
        // Statements planned outside the transaction (CREATE INDEX CONCURRENTLY) run inside this one: on an empty copy nothing waits.
        statements.Select(s => targets.Aggregate(s.Transactional ? s.Sql : Concurrently.Replace(s.Sql, ""), (sql, t) => t.Retarget(sql)))
            .ToList();

    private static string Shorten(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 200 ? line : line[..200] + "…";
    }

    private static readonly Regex Concurrently = new(@"\bCONCURRENTLY\s+", RegexOptions.CultureInvariant);

    /// <summary>
    /// Names qualified with one managed schema, as the plan's statements and the catalog's deparsed text write them, and the
    /// scratch schema its copy is made in.
    /// </summary>
    private sealed class Names(string schema, IReadOnlySet<string> extensionMembers, string scratch)
    {
        public string Scratch => scratch;

        private readonly Regex _qualified = new(
            $"""(?<![\w$."])(?:"{Regex.Escape(schema)}"|{Regex.Escape(schema)})\.(?:"(?<quoted>(?:[^"]|"")+)"|(?<plain>[A-Za-z_][A-Za-z0-9_$]*))""",
            RegexOptions.CultureInvariant);

        // The schema before a dot (a qualified name) or after SCHEMA (GRANT ... ON SCHEMA, CREATE EXTENSION ... WITH SCHEMA,
        // CREATE SCHEMA IF NOT EXISTS).
        private readonly Regex _schema = new(
            $"""(?<![\w$."])(?:"{Regex.Escape(schema)}"|{Regex.Escape(schema)})(?=\.)|""" +
            $"""(?<=\bSCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?)(?:"{Regex.Escape(schema)}"|{Regex.Escape(schema)}\b)""",
            RegexOptions.CultureInvariant);

        public IEnumerable<string> In(string text) =>
            _qualified.Matches(text).Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value.Replace("\"\"", "\"", StringComparison.Ordinal)
                : m.Groups["plain"].Value);

        public string Retarget(string sql) => _schema.Replace(sql, m =>
            m.Index + m.Length < sql.Length && sql[m.Index + m.Length] == '.'
            && extensionMembers.Contains(schema + "." + NameAt(sql, m.Index + m.Length + 1))
                ? m.Value
                : Identifier.Quote(scratch));

        private static string NameAt(string sql, int at)
        {
            if (at < sql.Length && sql[at] == '"')
            {
                var end = sql.IndexOf('"', at + 1);
                return end < 0 ? "" : sql[(at + 1)..end];
            }
            var stop = at;
            while (stop < sql.Length && (char.IsLetterOrDigit(sql[stop]) || sql[stop] is '_' or '$')) stop++;
            return sql[at..stop].ToLowerInvariant();
        }
    }
}
