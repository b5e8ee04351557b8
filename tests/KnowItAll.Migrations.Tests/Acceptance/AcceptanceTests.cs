using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// The acceptance harness every case goes through on a real PostgreSQL: plan (hazards and statements as the
/// case expects), apply (or refuse, changing nothing), then validate clean, re-plan empty, no invalid index, and
/// the migrated database's normalised pg_dump --schema-only equal to that of a database the new DDL was run on directly
/// (or, for a known engine gap, different exactly as <see cref="KnownDumpDifferences"/> records). Whenever the two dumps
/// are not the same text, the engine's models of the two databases must be equal too.
/// </summary>
public abstract class AcceptanceTests(PostgresFixture pg)
{
    /// <summary>The cases are split in <see cref="Shards"/> classes, one per test collection, which run in parallel.</summary>
    public const int Shards = 3;

    protected static TheoryData<AcceptanceCase> Shard(int shard)
    {
        var data = new TheoryData<AcceptanceCase>();
        for (var i = shard; i < AcceptanceCases.All.Count; i += Shards) data.Add(AcceptanceCases.All[i]);
        return data;
    }

    protected async Task MigratesAsync(AcceptanceCase c)
    {
        var databases = new List<string>();
        try
        {
            await MigratesAsync(c, databases);
        }
        finally
        {
            foreach (var db in databases) await pg.DropDatabaseAsync(db);
        }
    }

    private async Task MigratesAsync(AcceptanceCase c, List<string> databases)
    {
        var db = await pg.NewDatabaseAsync();
        databases.Add(db);
        if (c.Old.Length > 0) await PostgresFixture.ExecuteAsync(db, c.Old);
        if (c.Seed is not null) await PostgresFixture.ExecuteAsync(db, c.Seed);
        var engine = Engines.For(db, SchemaSource.FromFiles(new SchemaFile("schema/new.sql", c.New)),
            new MigrationOptions { RunBy = "tests", AllowHazards = (c.Allow ?? []).ToHashSet() });

        var plan = await engine.PlanAsync();
        var listing =
            string.Join("\n",
                plan.Statements.Select(s => $"{s.Order}. [{s.Kind.ToWire()}] {s.Sql} {{{string.Join(",", s.Hazards.Select(h => h.Code.ToWire()))}}}"))
                      + string.Join("", plan.Blocking.Select(h => $"\nBLOCKED {h.Code.ToWire()}: {h.Message}"));
        var codes = plan.Statements.SelectMany(s => s.Hazards).Concat(plan.Blocking).Select(h => h.Code).Distinct().Order().ToList();
        Assert.True((c.Hazards ?? []).Distinct().Order().SequenceEqual(codes),
            $"hazards: expected [{string.Join(", ", (c.Hazards ?? []).Select(h => h.ToWire()))}], planned " +
            $"[{string.Join(", ", codes.Select(h => h.ToWire()))}]\n{listing}");
        foreach (var sql in c.Sql ?? [])
            Assert.True(plan.Statements.Any(s => s.Sql.Contains(sql, StringComparison.Ordinal)), $"no statement contains '{sql}'\n{listing}");

        if (c.Blocked)
        {
            var before = await PostgresFixture.ReadLiveAsync(db);
            Assert.NotEmpty(plan.Blocking);
            var refused = await Assert.ThrowsAsync<MigrationException>(() => engine.ApplyAsync(new ApplyRequest()));
            Assert.Equal(MigrationErrors.UnsafeChange, refused.ErrorName);
            Assert.Equal(before.Canonical(), (await PostgresFixture.ReadLiveAsync(db)).Canonical());
            await AssertChecksAsync(db, c);
            return;
        }
        Assert.Empty(plan.Blocking);
        await engine.ApplyAsync(new ApplyRequest(ExpectedPlanHash: plan.PlanHash));

        var validation = await engine.ValidateAsync();
        Assert.True(validation.SchemaValid,
            $"missing after apply: {string.Join(", ", validation.Missing.Select(m => $"{m.Kind} {m.Name} {m.Detail}"))}\n{listing}");
        Assert.True(c.Drift == validation.Drift.Count > 0,
            $"drift expected: {c.Drift}; reported: {string.Join("; ", validation.Drift.Select(d => $"{d.Kind} {d.Name}: {d.Reason}"))}");
        // A re-run plans again: it must find nothing to do (an empty re-plan), so it changes nothing.
        var rerun = await engine.ApplyAsync(new ApplyRequest());
        Assert.False(rerun.Changed, "re-plan is not empty: a re-run executed " +
            string.Join(", ", rerun.Timings.Select(t => $"{t.Order}. {t.ObjectName}")) + "\nfirst plan:\n" + listing);
        Assert.Equal(0L, await PostgresFixture.ReadScalarAsync<long>(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        await AssertChecksAsync(db, c);

        var direct = await pg.NewDatabaseAsync();
        databases.Add(direct);
        await PostgresFixture.ExecuteAsync(direct, c.New);

        // pg_dump sees every attribute, including those the engine's model does not read. With drift the migrated
        // database may hold more (what the new DDL left out), never less.
        var dumps = await Task.WhenAll(SchemaDump.NormalisedAsync(direct), SchemaDump.NormalisedAsync(db));
        var dumpDiff = SchemaDump.Diff(dumps[0], dumps[1]).Where(l => !c.Drift || l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        // The same dump text is the same catalog, so the engine's models of the two are equal too. Otherwise they are compared
        // (the engine's reading of the migrated database against its reading of the direct load): this also catches what
        // the line-level dump comparison cannot, such as a column line that moved to another table.
        if (!c.Drift && dumps[0] != dumps[1])
        {
            var expected = (await PostgresFixture.ReadLiveAsync(direct)).Canonical();
            var actual = (await PostgresFixture.ReadLiveAsync(db)).Canonical();
            Assert.True(expected == actual, $"migrated schema differs from a direct load of the new DDL:\n{LineDiff(expected, actual)}\n{listing}");
        }
        if (KnownDumpDifferences.All.TryGetValue(c.Name, out var known))
            Assert.True(known.Lines.SequenceEqual(dumpDiff),
                $"known dump difference ({known.Reason}) changed; now:\n{string.Join("\n", dumpDiff)}\n{listing}");
        else
            Assert.True(dumpDiff.Count == 0,
                "pg_dump --schema-only of the migrated database differs from a direct load of the new " +
                $"DDL:\n{string.Join("\n", dumpDiff)}\n{listing}");
    }

    private static async Task AssertChecksAsync(string db, AcceptanceCase c)
    {
        foreach (var check in c.Checks ?? []) Assert.True(await PostgresFixture.ReadScalarAsync<bool>(db, check), $"check failed: {check}");
    }

    private static string LineDiff(string expected, string actual)
    {
        var e = expected.Split('\n').ToHashSet(StringComparer.Ordinal);
        var a = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
        return string.Join("\n", e.Except(a).Select(l => "- direct:   " + l).Concat(a.Except(e).Select(l => "+ migrated: " + l)));
    }
}

[Collection(PostgresParallelA.Name)]
public sealed class AcceptanceTestsA(PostgresFixture pg) : AcceptanceTests(pg)
{
    public static TheoryData<AcceptanceCase> Cases() => Shard(0);

    [Fact]
    public void There_are_at_least_a_hundred_cases_with_unique_names()
    {
        Assert.True(AcceptanceCases.All.Count >= 100, $"only {AcceptanceCases.All.Count} acceptance cases");
        Assert.Equal(AcceptanceCases.All.Count, AcceptanceCases.All.Select(c => c.Name).Distinct().Count());
        Assert.Equal(AcceptanceCases.All.Count, Enumerable.Range(0, Shards).Sum(i => Shard(i).Count<object[]>()));
    }

    [Fact]
    public void Known_dump_differences_name_existing_cases()
    {
        var names = AcceptanceCases.All.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(KnownDumpDifferences.All.Keys, k => Assert.Contains(k, names));
        Assert.All(KnownDumpDifferences.All.Values, k => Assert.NotEmpty(k.Lines));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Migrates(AcceptanceCase c) => MigratesAsync(c);
}

[Collection(PostgresParallelB.Name)]
public sealed class AcceptanceTestsB(PostgresFixture pg) : AcceptanceTests(pg)
{
    public static TheoryData<AcceptanceCase> Cases() => Shard(1);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Migrates(AcceptanceCase c) => MigratesAsync(c);
}

[Collection(PostgresParallelC.Name)]
public sealed class AcceptanceTestsC(PostgresFixture pg) : AcceptanceTests(pg)
{
    public static TheoryData<AcceptanceCase> Cases() => Shard(2);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Migrates(AcceptanceCase c) => MigratesAsync(c);
}
