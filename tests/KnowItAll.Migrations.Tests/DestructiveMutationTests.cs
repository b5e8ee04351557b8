using System.Text.RegularExpressions;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// The engine's promise: whatever schema/ says, it never removes or rewrites anything. Mutations of the
/// tutor schema (dropped tables, columns, indexes, constraints, grants; changed types, nullability, defaults)
/// are planned and applied against a database that has the full schema with rows in it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class DestructiveMutationTests(PostgresFixture pg, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task No_mutation_of_the_desired_schema_plans_or_applies_anything_destructive()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows);
        var before = await PostgresFixture.ReadLiveAsync(db);
        var rowsBefore = await PostgresFixture.ScalarAsync<long>(db, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM quiz_sessions)");

        var mutations = Mutations(Repo.TutorFiles()).ToList();
        var planned = 0;
        var rejected = 0;
        foreach (var (description, files) in mutations)
        {
            MigrationPlan plan;
            var engine = Engines.For(db, SchemaSource.FromFiles([.. files]));
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
            foreach (var statement in plan.Statements)
            {
                Assert.True(IsAdditive(statement.Sql), $"{description}: non-additive statement {statement.Sql}");
                Assert.False(Destructive().IsMatch(statement.Sql), $"{description}: destructive statement {statement.Sql}");
            }
            await engine.ApplyAsync(new ApplyRequest());
            var after = await PostgresFixture.ReadLiveAsync(db);
            AssertKeepsEverything(before, after, description);
        }

        output.WriteLine($"destructive mutations: {mutations.Count} generated, {planned} planned and applied with 0 destructive statements, {rejected} rejected as broken schemas");
        Assert.True(mutations.Count >= 100, $"only {mutations.Count} mutations generated");
        Assert.True(planned >= 80, $"only {planned} of {mutations.Count} mutations could be planned ({rejected} rejected as broken schemas)");
        Assert.Equal(rowsBefore, await PostgresFixture.ScalarAsync<long>(db, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM quiz_sessions)"));
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
                        line.Contains("NOT NULL", StringComparison.Ordinal) ? line.Replace(" NOT NULL", "", StringComparison.Ordinal) : line.TrimEnd(',') + " NOT NULL,"));
                    yield return ($"change default at {at}", With(files, f, lines, l,
                        line.Contains("DEFAULT", StringComparison.Ordinal) ? DefaultClause().Replace(line, "") : line.TrimEnd(',') + " DEFAULT NULL,"));
                    continue;
                }
                if (trimmed.StartsWith("CONSTRAINT ", StringComparison.Ordinal) || trimmed.StartsWith("CREATE INDEX", StringComparison.Ordinal)
                    || trimmed.StartsWith("CREATE UNIQUE INDEX", StringComparison.Ordinal) || trimmed.StartsWith("GRANT", StringComparison.Ordinal)
                    || trimmed.StartsWith("ALTER SEQUENCE", StringComparison.Ordinal) || trimmed.StartsWith("CREATE EXTENSION", StringComparison.Ordinal))
                    yield return ($"remove line {at}: {trimmed}", With(files, f, lines, l, trimmed.StartsWith("CONSTRAINT", StringComparison.Ordinal) ? "    CHECK (true)," : null));
            }
            yield return ($"remove file {files[f].Name}", files.Where((_, i) => i != f).ToList());
        }
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
        || AddStatement().IsMatch(sql)
        || sql.StartsWith("GRANT ", StringComparison.Ordinal)
        || sql.StartsWith("ALTER SEQUENCE ", StringComparison.Ordinal) && sql.Contains(" OWNED BY ", StringComparison.Ordinal)
        || ValidateStatement().IsMatch(sql)
        || sql.StartsWith("DO $knowitall$", StringComparison.Ordinal) && GuardedAdd().IsMatch(sql);

    private static void AssertKeepsEverything(SchemaModel before, SchemaModel after, string mutation)
    {
        foreach (var table in before.Tables)
        {
            var now = after.Table(table.Name);
            Assert.True(now is not null, $"{mutation}: table {table.Name} is gone");
            foreach (var column in table.Columns)
                Assert.True(now.Columns.Any(c => c with { Ordinal = 0 } == column with { Ordinal = 0 }), $"{mutation}: column {table.Name}.{column.Name} changed or is gone");
        }
        foreach (var index in before.Indexes) Assert.True(after.Indexes.Contains(index), $"{mutation}: index {index.Name} changed or is gone");
        foreach (var constraint in before.Constraints) Assert.True(after.Constraints.Contains(constraint), $"{mutation}: constraint {constraint.Name} changed or is gone");
        foreach (var privilege in before.Privileges) Assert.True(after.Privileges.Contains(privilege), $"{mutation}: {privilege.Describe()} is gone");
        foreach (var sequence in before.Sequences) Assert.True(after.Sequences.Contains(sequence), $"{mutation}: sequence {sequence.Name} changed or is gone");
    }


    [GeneratedRegex(@"^(\s+)([a-z_]+)\s+(?:uuid|citext|varchar\(\d+\)|boolean|timestamptz|jsonb|smallint|integer|bigint|text|numeric\(\d+,\d+\))(.*)$")]
    private static partial Regex ColumnLine();

    [GeneratedRegex(@"\s+DEFAULT\s+[^,]+(?=,|$)")]
    private static partial Regex DefaultClause();

    [GeneratedRegex(@"^ALTER TABLE \S+ ADD COLUMN IF NOT EXISTS ")]
    private static partial Regex AddStatement();

    [GeneratedRegex(@"^ALTER TABLE \S+ VALIDATE CONSTRAINT \S+$")]
    private static partial Regex ValidateStatement();

    [GeneratedRegex(@"IF NOT EXISTS \(SELECT 1 FROM pg_catalog\.pg_constraint WHERE [^)]*\) THEN\s+ALTER TABLE \S+ ADD CONSTRAINT ")]
    private static partial Regex GuardedAdd();

    [GeneratedRegex(@"\b(DROP|TRUNCATE|DELETE\s+FROM|RENAME|REVOKE)\b|\bTYPE\b|\bUPDATE\s+\S+\s+SET\b", RegexOptions.IgnoreCase)]
    private static partial Regex Destructive();
}
