using System.Text.RegularExpressions;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;
using Npgsql;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// The engine's promise: whatever schema/ says, it never removes or rewrites anything. Mutations of the
/// tutor schema plus a file of the other kinds (dropped tables, columns, indexes, constraints, grants, enum
/// values, views, functions, triggers, policies, comments, row-level security; changed types, nullability,
/// defaults, view columns, result types, policy commands) are planned and applied against a database that has
/// the full schema with rows in it (a plan with nothing to do is not applied). A column's type, default or NOT NULL may
/// change only by an in-place alteration the plan names for that column (schema/ declares it; the rows stay, and a
/// rewrite of a table with rows is refused); such a column is then put back directly, so every mutation starts from the
/// full schema.
/// An index, constraint, view, trigger or policy schema/ still names but defines
/// differently is replaced: it must still exist afterwards, and its statements may drop only what the guard allows.
/// </summary>
/// <remarks>
/// The mutations are split in <see cref="Shards"/> classes, one per test collection, which run in parallel, each on a
/// database of its own: together they plan and apply every mutation, and each shard must plan its share of the 80 the
/// whole set must plan.
/// </remarks>
public abstract partial class DestructiveMutationTests(PostgresFixture pg, Xunit.Abstractions.ITestOutputHelper output)
{
    public const int Shards = 4;

    private static readonly List<SchemaFile> BaseFiles = Repo.TutorFiles().Append(new SchemaFile("schema/95_kinds.sql", Kinds)).ToList();

    private static List<(string, List<SchemaFile>)> AllMutations() => Mutations(BaseFiles).Concat(KindMutations(BaseFiles)).ToList();

    protected async Task NoMutationPlansOrAppliesAnythingDestructiveAsync(int shard)
    {
        var all = AllMutations();
        Assert.True(all.Count >= 100, $"only {all.Count} mutations generated");
        var db = await pg.NewDatabaseAsync();
        Assert.True((await Engines.For(db, SchemaSource.FromFiles([.. BaseFiles])).ApplyAsync(new ApplyRequest())).Changed);
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows);
        var before = await PostgresFixture.ReadLiveAsync(db);
        var rowsBefore = await PostgresFixture.ScalarAsync<long>(db, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM quiz_sessions)");

        var mutations = all.Where((_, i) => i % Shards == shard).ToList();
        var planned = 0;
        var rejected = 0;
        var empty = 0;
        foreach (var (description, files) in mutations)
        {
            MigrationPlan plan;
            // Even a run that allows deleting data drops nothing that is merely absent from schema/: only a declaration removes.
            var engine = Engines.For(db, SchemaSource.FromFiles([.. files]),
                new MigrationOptions { RunBy = "tests", AllowHazards = new HashSet<HazardCode> { HazardCode.DeletesData } });
            try
            {
                plan = await engine.PlanAsync();
            }
            catch (MigrationException e) when (e.ErrorName is MigrationErrors.SchemaError or MigrationErrors.UnsafeChange)
            {
                rejected++;
                continue;
            }
            planned++;
            // Nothing to do: an apply would plan the same nothing again and change nothing (the shard's end checks the rows).
            if (plan.Statements.Count == 0 && plan.Blocking.Count == 0)
            {
                empty++;
                continue;
            }
            // An object schema/ still names but defines differently is replaced (dropped and built again as schema/ says):
            // only the replacement kinds may drop, only what the guard allows them, and never a table, a column or rows.
            var replaced = plan.Statements.Where(s => IsReplacement(s.Kind)).Select(s => s.ObjectName).ToHashSet(StringComparer.Ordinal);
            foreach (var statement in plan.Statements)
            {
                if (IsReplacement(statement.Kind))
                {
                    Assert.False(Planning.Planner.Refuses(statement.Kind, statement.Sql), $"{description}: the guard refuses {statement.Sql}");
                    // A function holds no data: its replacement drops it in the one form the guard accepts (checked above).
                    Assert.False(statement.Kind != Planning.StatementKind.FunctionReplace && DataLoss().IsMatch(statement.Sql),
                        $"{description}: replacement loses data: {statement.Sql}");
                    continue;
                }
                Assert.True(IsAdditive(statement.Sql), $"{description}: non-additive statement {statement.Sql}");
                Assert.False(Destructive().IsMatch(InPlace().Replace(HelperDrop().Replace(FunctionBody().Replace(statement.Sql, ""), ""), "")),
                    $"{description}: destructive statement {statement.Sql}");
            }
            var altered = plan.Statements.Where(s => InPlace().IsMatch(s.Sql)
                || s.Kind is Planning.StatementKind.SequenceOptions or Planning.StatementKind.SequenceOwner)
                .Select(s => s.ObjectName).ToHashSet(StringComparer.Ordinal);
            try
            {
                await engine.ApplyAsync(new ApplyRequest());
            }
            catch (MigrationException e) when (e.ErrorName is MigrationErrors.UnsafeChange or MigrationErrors.ApplyFailed)
            {
                // Refused (a blocking hazard) or stopped by the database (NOT NULL over existing NULLs): still nothing may be lost.
                rejected++;
            }
            var after = await PostgresFixture.ReadLiveAsync(db);
            AssertKeepsEverything(before, after, description, altered, replaced);
            await RestoreAsync(db, before, after, altered);
        }

        output.WriteLine(
            $"destructive mutations, shard {shard + 1} of {Shards}: {mutations.Count} of {all.Count} generated, {planned} planned " +
            $"({empty} with nothing to do) and the others applied with 0 destructive statements, {rejected} rejected as broken schemas");
        // The whole set must plan at least 80: each shard at least its share of them, so that the shards together do.
        Assert.True(planned * all.Count >= 80 * mutations.Count,
            $"only {planned} of {mutations.Count} mutations could be planned ({rejected} rejected as broken schemas)");
        Assert.Equal(rowsBefore,
            await PostgresFixture.ScalarAsync<long>(db, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM quiz_sessions)"));
    }

    private static IEnumerable<(string, List<SchemaFile>)> Mutations(List<SchemaFile> files)
    {
        for (var f = 0; f < files.Count; f++)
        {
            var lines = files[f].Text.Split('\n');
            for (var l = 0; l < lines.Length; l++)
            {
                var line = lines[l];
                var trimmed = line.TrimStart();
                if (trimmed.Length == 0 || trimmed.StartsWith("--", StringComparison.Ordinal)) continue;
                var at = $"{files[f].Name}:{l + 1}";
                if (ColumnLine().Match(line) is { Success: true } column)
                {
                    yield return ($"drop column at {at}", With(files, f, lines, l, null));
                    yield return ($"retype column at {at}", With(files, f, lines, l, ColumnLine().Replace(line, "${1}${2} text${3}")));
                    yield return ($"widen column at {at}", With(files, f, lines, l, ColumnLine().Replace(line, "${1}${2} varchar(7)${3}")));
                    yield return ($"flip nullability at {at}", With(files, f, lines, l,
                        line.Contains("NOT NULL", StringComparison.Ordinal) ? line.Replace(" NOT NULL", "", StringComparison.Ordinal)
                        : line.TrimEnd(',') + " NOT NULL,"));
                    yield return ($"change default at {at}", With(files, f, lines, l,
                        line.Contains("DEFAULT", StringComparison.Ordinal) ? DefaultClause().Replace(line, "") : line.TrimEnd(',') +
                        " DEFAULT NULL,"));
                    continue;
                }
                if (trimmed.StartsWith("CONSTRAINT ", StringComparison.Ordinal) || trimmed.StartsWith("CREATE INDEX", StringComparison.Ordinal)
                    || trimmed.StartsWith("CREATE UNIQUE INDEX", StringComparison.Ordinal) || trimmed.StartsWith("GRANT", StringComparison.Ordinal)
                    || trimmed.StartsWith("ALTER SEQUENCE", StringComparison.Ordinal)
                    || trimmed.StartsWith("CREATE EXTENSION", StringComparison.Ordinal)
                    || KindLine().IsMatch(trimmed))
                    yield return ($"remove line {at}: {trimmed}", With(files, f, lines, l, trimmed.StartsWith("CONSTRAINT", StringComparison.Ordinal)
                        ? "    CHECK (true)," : null));
            }
            yield return ($"remove file {files[f].Name}", files.Where((_, i) => i != f).ToList());
        }
    }

    /// <summary>One object of every other kind, one line each, so removing a line removes the object.</summary>
    private const string Kinds = """
        CREATE TYPE mood AS ENUM ('calm', 'busy', 'away');
        ALTER TABLE users ADD COLUMN mood mood DEFAULT 'calm';
        CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
        CREATE FUNCTION user_count(active boolean) RETURNS bigint LANGUAGE sql STABLE AS $$SELECT count(*) FROM users WHERE is_active = active$$;
        CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
        CREATE VIEW active_users AS SELECT id, email, display_name FROM users WHERE is_active;
        CREATE MATERIALIZED VIEW domain_titles AS SELECT id, title FROM tree_nodes WHERE node_type = 'domain';
        ALTER TABLE quiz_sessions ENABLE ROW LEVEL SECURITY;
        CREATE POLICY quiz_sessions_own ON quiz_sessions FOR SELECT TO tutor_app USING (user_id IS NOT NULL);
        ALTER TABLE progress_records SET (fillfactor = 90);
        COMMENT ON TABLE users IS 'Learners, tutors and admins';
        COMMENT ON COLUMN users.email IS 'Case-insensitive';
        COMMENT ON VIEW active_users IS 'Who can sign in';
        COMMENT ON FUNCTION user_count(boolean) IS 'Users by state';
        GRANT SELECT ON active_users TO tutor_app;
        GRANT EXECUTE ON FUNCTION user_count(boolean) TO tutor_app;
        """;

    /// <summary>Changes of the other kinds that only a drop, a rewrite or a replacement could apply.</summary>
    private static IEnumerable<(string, List<SchemaFile>)> KindMutations(List<SchemaFile> files)
    {
        var f = files.FindIndex(x => x.Name.EndsWith("95_kinds.sql", StringComparison.Ordinal));
        (string, List<SchemaFile>) Edit(string description, string find, string replace)
        {
            Assert.Contains(find, files[f].Text);
            var copy = files.ToList();
            copy[f] = files[f] with { Text = files[f].Text.Replace(find, replace, StringComparison.Ordinal) };
            return (description, copy);
        }
        yield return Edit("enum value removed", "'busy', ", "");
        yield return Edit("enum values reordered", "('calm', 'busy', 'away')", "('busy', 'calm', 'away')");
        yield return Edit("view column removed", "SELECT id, email, display_name FROM users WHERE is_active",
            "SELECT id, display_name FROM users WHERE is_active");
        yield return Edit("view column retyped", "SELECT id, email, display_name FROM users",
            "SELECT id, email::text AS email, display_name FROM users");
        yield return Edit("materialized view changed", "SELECT id, title FROM tree_nodes", "SELECT id, title, depth FROM tree_nodes");
        yield return Edit("function result changed", "RETURNS bigint LANGUAGE sql STABLE AS $$SELECT count(*)",
            "RETURNS integer LANGUAGE sql STABLE AS $$SELECT count(*)::integer");
        yield return Edit("function signature changed", "user_count(active boolean)", "user_count(active boolean, since timestamptz DEFAULT NULL)");
        yield return Edit("trigger timing changed", "BEFORE UPDATE ON users", "BEFORE INSERT OR UPDATE ON users");
        yield return Edit("policy command changed", "FOR SELECT TO tutor_app", "FOR UPDATE TO tutor_app");
        yield return Edit("policy made restrictive", "ON quiz_sessions FOR SELECT", "ON quiz_sessions AS RESTRICTIVE FOR SELECT");
        yield return Edit("row level security dropped", "ALTER TABLE quiz_sessions ENABLE ROW LEVEL SECURITY;", "");
        yield return Edit("storage parameter dropped", "ALTER TABLE progress_records SET (fillfactor = 90);", "");
        yield return Edit("comment text changed", "'Learners, tutors and admins'", "'People'");
    }

    private static List<SchemaFile> With(List<SchemaFile> files, int file, string[] lines, int line, string? replacement)
    {
        var changed = lines.ToList();
        if (replacement is null) changed.RemoveAt(line);
        else changed[line] = replacement;
        var copy = files.ToList();
        copy[file] = files[file] with { Text = string.Join('\n', changed) };
        return copy;
    }

    private static bool IsAdditive(string sql) =>
        sql.StartsWith("CREATE ", StringComparison.Ordinal)
        || sql.StartsWith("COMMENT ON ", StringComparison.Ordinal)
        || sql.StartsWith("ALTER POLICY ", StringComparison.Ordinal)
        || SafeAlter().IsMatch(sql)
        || AddStatement().IsMatch(sql)
        || AddConstraint().IsMatch(sql)
        || sql.StartsWith("GRANT ", StringComparison.Ordinal)
        || sql.StartsWith("ALTER SEQUENCE ", StringComparison.Ordinal)
        || InPlace().IsMatch(sql)
        || ValidateStatement().IsMatch(sql)
        || sql.StartsWith("DO $knowitall$", StringComparison.Ordinal) && GuardedAdd().IsMatch(sql);

    /// <summary>Puts the columns a mutation altered in place back as they were, outside the engine.</summary>
    private static async Task RestoreAsync(string db, SchemaModel before, SchemaModel after, IReadOnlySet<string> altered)
    {
        // A type the engine changed under a view (dropped and re-created around it) is put back the same way: the views go first, and the
        // engine creates them again from the base schema with their comments and grants.
        var retyped = before.Tables.Any(t => t.Columns.Any(was => altered.Contains($"{t.Name}.{was.Name}")
            && after.Table(t.Name)!.Columns.Single(c => c.Name == was.Name) is var now && (now.Type != was.Type || now.Collation != was.Collation)));
        if (retyped)
            foreach (var v in after.Views.Reverse())
                await PostgresFixture.ExecuteAsync(db,
                    $"DROP {(v.Materialized ? "MATERIALIZED VIEW" : "VIEW")} IF EXISTS {Identifier.Qualify(after.Schema, v.Name)}");
        foreach (var table in before.Tables)
            foreach (var was in table.Columns.Where(c => altered.Contains($"{table.Name}.{c.Name}")))
            {
                var now = after.Table(table.Name)!.Columns.Single(c => c.Name == was.Name);
                var column = $"ALTER TABLE {Identifier.Qualify(before.Schema, table.Name)} ALTER COLUMN {Identifier.Quote(was.Name)}";
                if (now.Type != was.Type || now.Collation != was.Collation)
                    await PostgresFixture.ExecuteAsync(db,
                        $"{column} DROP DEFAULT; {column} TYPE {was.Type}{(was.Collation is null ? "" : " COLLATE " +
                            $"{Identifier.Quote(was.Collation)}")} USING {Identifier.Quote(was.Name)}::{was.Type}");
                if (was.Default is not null) await PostgresFixture.ExecuteAsync(db, $"{column} SET DEFAULT {was.Default}");
                if (was.NotNull && !now.NotNull) await PostgresFixture.ExecuteAsync(db, $"{column} SET NOT NULL");
            }
        // A function the engine replaced (its result or argument names changed) is put back by the engine too.
        var functionReplaced = before.Functions.Any(f => !after.Functions.Any(x => x.Signature == f.Signature && x.Result == f.Result));
        if (retyped || functionReplaced) await Engines.For(db, SchemaSource.FromFiles([.. BaseFiles])).ApplyAsync(new ApplyRequest());
    }

    private static bool IsReplacement(Planning.StatementKind kind) =>
        kind is Planning.StatementKind.IndexReplace or Planning.StatementKind.ConstraintReplace
        or Planning.StatementKind.ViewReplace or Planning.StatementKind.TriggerReplace or Planning.StatementKind.PolicyReplace
        or Planning.StatementKind.FunctionReplace;

    private static void AssertKeepsEverything(SchemaModel before, SchemaModel after, string mutation, IReadOnlySet<string> altered,
        IReadOnlySet<string> replaced)
    {
        foreach (var table in before.Tables)
        {
            var now = after.Table(table.Name);
            Assert.True(now is not null, $"{mutation}: table {table.Name} is gone");
            Assert.True(now.RowSecurity || !table.RowSecurity, $"{mutation}: row level security of {table.Name} was turned off");
            Assert.True(table.Options.All(now.Options.Contains), $"{mutation}: storage parameters of {table.Name} were reset");
            foreach (var column in table.Columns)
            {
                // A column may gain NOT NULL or a default (nothing is lost); its type, identity, generation and collation stay.
                var kept = now.Columns.FirstOrDefault(c => c.Name == column.Name);
                Assert.True(kept is not null, $"{mutation}: column {table.Name}.{column.Name} is gone");
                if (altered.Contains($"{table.Name}.{column.Name}")) continue;
                Assert.True(
                    kept with
                    {
                        Ordinal = 0,
                        NotNull = column.NotNull || kept.NotNull,
                        Default = column.Default
                        ?? kept.Default
                    } == column with
                    {
                        Ordinal = 0,
                        NotNull = column.NotNull || kept.NotNull,
                        Default = column.Default
                        ?? kept.Default
                    },
                    $"{mutation}: column {table.Name}.{column.Name} changed");
                Assert.True(column.Default is null || kept.Default is not null, $"{mutation}: the default of {table.Name}.{column.Name} was dropped");
                Assert.True(!column.NotNull || kept.NotNull, $"{mutation}: NOT NULL of {table.Name}.{column.Name} was dropped");
            }
        }
        foreach (var e in before.Enums)
        {
            var now = after.Enums.FirstOrDefault(x => x.Name == e.Name);
            Assert.True(now is not null && e.Labels.SequenceEqual(now.Labels.Where(e.Labels.Contains)),
                $"{mutation}: enum {e.Name} lost or reordered values");
        }
        foreach (var v in before.Views)
            Assert.True(after.Views.Any(x => x.Name == v.Name
                && (replaced.Contains(v.Name) || x.Columns.Take(v.Columns.Count).SequenceEqual(v.Columns))),
                    $"{mutation}: view {v.Name} lost columns or is gone");
        foreach (var fn in before.Functions)
            Assert.True(after.Functions.Any(x => x.Signature == fn.Signature && (x.Result == fn.Result || replaced.Contains(fn.Signature))),
                $"{mutation}: function {fn.Signature} is gone");
        foreach (var t in before.Triggers)
            Assert.True(after.Triggers.Any(x => x.Table == t.Table && x.Name == t.Name), $"{mutation}: trigger {t.Name} is gone");
        foreach (var p in before.Policies)
            Assert.True(after.Policies.Any(x => x.Table == p.Table && x.Name == p.Name
                && (replaced.Contains($"{p.Table}.{p.Name}") || x.Command == p.Command)), $"{mutation}: policy {p.Name} is gone or changed command");
        foreach (var c in before.Comments) Assert.True(after.Comments.Any(x => x.Key == c.Key), $"{mutation}: comment on {c.Key} is gone");
        foreach (var index in before.Indexes)
            Assert.True(after.Indexes.Contains(index) || replaced.Contains(index.Name) && after.Indexes.Any(x => x.Name == index.Name),
                $"{mutation}: index {index.Name} changed or is gone");
        foreach (var constraint in before.Constraints)
            Assert.True(after.Constraints.Contains(constraint) || replaced.Contains($"{constraint.Table}.{constraint.Name}")
                && after.Constraints.Any(x => x.Table == constraint.Table && x.Name == constraint.Name),
                $"{mutation}: constraint {constraint.Name} changed or is gone");
        foreach (var privilege in before.Privileges) Assert.True(after.Privileges.Contains(privilege), $"{mutation}: {privilege.Describe()} is gone");
        // A sequence's options and owner converge in place (ALTER SEQUENCE): it must still exist, its counter untouched.
        foreach (var sequence in before.Sequences)
            Assert.True(after.Sequences.Contains(sequence) || altered.Contains(sequence.Name) && after.Sequences.Any(x => x.Name == sequence.Name),
                $"{mutation}: sequence {sequence.Name} changed or is gone");
    }


    [GeneratedRegex(@"^(CREATE (TYPE|VIEW|MATERIALIZED VIEW|FUNCTION|TRIGGER|POLICY)|COMMENT ON|ALTER TABLE) ")]
    private static partial Regex KindLine();

    // Statements that change a setting in place and lose nothing; the engine's own NOT NULL helper check is the one DROP allowed.
    [GeneratedRegex(
        @"^(ALTER TABLE \S+ (ALTER COLUMN \S+ SET (DEFAULT|NOT NULL)|ENABLE ROW LEVEL SECURITY|FORCE ROW LEVEL SECURITY|SET \(|DROP CONSTRAINT IF " +
        @"EXISTS ""knowitall_nn_)|ALTER TYPE \S+ ADD VALUE IF NOT EXISTS )")]
    private static partial Regex SafeAlter();

    [GeneratedRegex(
        @"^(\s+)([a-z_]+)\s+(?:uuid|citext|varchar\(\d+\)|boolean|timestamptz|jsonb|smallint|integer|bigint|text|numeric\(\d+,\d+\))(.*)$")]
    private static partial Regex ColumnLine();

    [GeneratedRegex(@"\s+DEFAULT\s+[^,]+(?=,|$)")]
    private static partial Regex DefaultClause();

    // The in-place column alterations the engine plans (issue 18): each keeps every row.
    [GeneratedRegex(@"^ALTER TABLE \S+ ALTER COLUMN \S+ (DROP DEFAULT|DROP NOT NULL|TYPE [^;]+)$")]
    private static partial Regex InPlace();

    [GeneratedRegex(@"^ALTER TABLE \S+ ADD COLUMN IF NOT EXISTS ")]
    private static partial Regex AddStatement();

    // A replacement's new constraint, added beside the old one (NOT VALID) or on a table without rows.
    [GeneratedRegex(@"^ALTER TABLE \S+ ADD CONSTRAINT ")]
    private static partial Regex AddConstraint();

    [GeneratedRegex(@"^ALTER TABLE \S+ VALIDATE CONSTRAINT \S+$")]
    private static partial Regex ValidateStatement();

    [GeneratedRegex(@"IF NOT EXISTS \(SELECT 1 FROM pg_catalog\.pg_constraint WHERE [^)]*\) THEN\s+ALTER TABLE \S+ ADD CONSTRAINT ")]
    private static partial Regex GuardedAdd();

    [GeneratedRegex(@"DROP CONSTRAINT IF EXISTS ""knowitall_nn_[^""]*""$")]
    private static partial Regex HelperDrop();

    [GeneratedRegex(@"\$function\$[\s\S]*\$function\$")]
    private static partial Regex FunctionBody();

    [GeneratedRegex(@"\bDROP\s+(TABLE|COLUMN|SCHEMA|SEQUENCE|TYPE|FUNCTION|EXTENSION|OWNED)\b|\bCASCADE\s*;|\bTRUNCATE\s+(?!ON\b)|" +
        @"\bDELETE\s+FROM\b|\bALTER\s+TABLE\s+\S+\s+RENAME\s+TO\b|\bREVOKE\b|\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b|" +
        @"\bUPDATE\s+\S+\s+SET\b", RegexOptions.IgnoreCase)]
    private static partial Regex DataLoss();

    [GeneratedRegex(@"\b(DROP|TRUNCATE|DELETE\s+FROM|RENAME|REVOKE)\b|\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b|\bUPDATE\s+\S+\s+SET\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex Destructive();
}

[Collection(PostgresCollection.Name)]
public sealed class DestructiveMutationTests0(PostgresFixture pg, Xunit.Abstractions.ITestOutputHelper output) : DestructiveMutationTests(pg, output)
{
    [Fact]
    public Task No_mutation_of_the_desired_schema_plans_or_applies_anything_destructive() => NoMutationPlansOrAppliesAnythingDestructiveAsync(0);
}

[Collection(PostgresParallelA.Name)]
public sealed class DestructiveMutationTests1(PostgresFixture pg, Xunit.Abstractions.ITestOutputHelper output) : DestructiveMutationTests(pg, output)
{
    [Fact]
    public Task No_mutation_of_the_desired_schema_plans_or_applies_anything_destructive() => NoMutationPlansOrAppliesAnythingDestructiveAsync(1);
}

[Collection(PostgresParallelB.Name)]
public sealed class DestructiveMutationTests2(PostgresFixture pg, Xunit.Abstractions.ITestOutputHelper output) : DestructiveMutationTests(pg, output)
{
    [Fact]
    public Task No_mutation_of_the_desired_schema_plans_or_applies_anything_destructive() => NoMutationPlansOrAppliesAnythingDestructiveAsync(2);
}

[Collection(PostgresParallelC.Name)]
public sealed class DestructiveMutationTests3(PostgresFixture pg, Xunit.Abstractions.ITestOutputHelper output) : DestructiveMutationTests(pg, output)
{
    [Fact]
    public Task No_mutation_of_the_desired_schema_plans_or_applies_anything_destructive() => NoMutationPlansOrAppliesAnythingDestructiveAsync(3);
}
