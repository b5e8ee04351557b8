using Npgsql;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// The change corpus (tests/corpus, run by `knowitall-bench corpus`) is well-formed: enough cases over every class,
/// each with old.sql and new.sql that differ, and every old.sql (with its seed) and new.sql loads on PostgreSQL as
/// written. The cases' outcomes under the engine are a benchmark, not a test.
/// </summary>
[Collection(PostgresParallelC.Name)]
public sealed class ChangeCorpusTests(PostgresFixture pg)
{
    private static readonly IReadOnlyList<CorpusCase> Cases = ChangeCorpus.Load(ChangeCorpus.DefaultDirectory);

    [Fact]
    public void The_corpus_is_broad()
    {
        Assert.True(Cases.Count >= 300, $"only {Cases.Count} corpus cases");
        var classes = Cases.GroupBy(c => c.Class).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(classes.Count >= 15, $"only {classes.Count} classes: {string.Join(", ", classes.Keys)}");
        Assert.All(Cases, c => Assert.False(c.Old.Trim() == c.New.Trim(), $"{c.Id}: old.sql and new.sql are the same"));
        Assert.All(Cases, c => Assert.Matches("^[a-z0-9-]+$", c.Class + "-" + c.Name));
    }

    [Fact]
    public async Task Every_case_loads_on_PostgreSQL()
    {
        await ChangeCorpus.CreateRolesAsync(pg.AdminConnectionString, Cases);
        var db = await pg.NewDatabaseAsync();
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        var failures = new List<string>();
        foreach (var c in Cases)
        {
            if (await LoadErrorAsync(connection, c.Old + (c.Seed is null ? "" : ";\n" + c.Seed)) is { } oldError)
                failures.Add($"{c.Id}: old.sql/seed.sql: {oldError}");
            if (await LoadErrorAsync(connection, c.New) is { } newError) failures.Add($"{c.Id}: new.sql: {newError}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // Each script runs in a transaction that is rolled back, so one database serves every case.
    private static async Task<string?> LoadErrorAsync(NpgsqlConnection connection, string sql)
    {
        if (string.IsNullOrWhiteSpace(sql)) return null;
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException e)
        {
            return $"{e.SqlState} {e.MessageText}";
        }
        finally
        {
            await transaction.RollbackAsync();
        }
    }
}
