using KnowItAll.Migrations.Catalog;
using Npgsql;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// The live catalog is read in two halves on two connections sharing one snapshot, and a table's heap size is asked
/// when a planned change depends on it, not for every table on every read.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CatalogReadTests(PostgresFixture pg)
{
    [Fact]
    public async Task Two_connections_read_exactly_what_one_reads_and_a_pool_of_one_reads_on_one()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        await Engines.For(db, SchemaEdits.With("95_kinds.sql", NewKindsTests.Kinds)).ApplyAsync(new ApplyRequest());
        var one = await PostgresFixture.ReadLiveAsync(db);
        Assert.NotEmpty(one.Views);
        Assert.NotEmpty(one.Policies);

        var pooled = new NpgsqlConnectionStringBuilder(db) { Pooling = true };
        foreach (var (poolSize, connections) in new[] { (10, 2), (1, 1) })
        {
            pooled.MaxPoolSize = poolSize;
            pooled.ApplicationName = $"catalog-read-{poolSize}-{Guid.NewGuid():N}";
            await using var source = NpgsqlDataSource.Create(pooled.ConnectionString);
            await using var connection = await source.OpenConnectionAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var read = await CatalogReader.ReadAsync(connection, "public", TimeSpan.FromSeconds(5), deadline.Token, helpers: source);

            Assert.Equal(one.Canonical(), read.Canonical());
            Assert.Equal(one.Tables.Select(t => (t.Name, t.HasRows)), read.Tables.Select(t => (t.Name, t.HasRows)));
            Assert.Equal(one.VolatileFunctions.Order(), read.VolatileFunctions.Order());
            // Connections the pool holds open to the server: the helper's beside this one, or none when the pool holds one.
            Assert.Equal(connections, await PostgresFixture.ScalarAsync<long>(db,
                $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{pooled.ApplicationName}'"));
        }
    }

    [Fact]
    public async Task A_table_the_statistics_call_empty_is_sized_when_a_change_depends_on_its_rows()
    {
        var db = await SchemaEdits.AppliedTutorDatabaseAsync(pg);
        // An autoanalyze between the checks below would give users its statistics: this test is about a table that has none yet.
        await PostgresFixture.ExecuteAsync(db, "ALTER TABLE users SET (autovacuum_enabled = false)");
        await PostgresFixture.ExecuteAsync(db, SchemaEdits.SeedRows);
        // Rows, but no VACUUM or ANALYZE yet: the statistics still say empty.
        Assert.True(await PostgresFixture.ScalarAsync<bool>(db,
            "SELECT relpages = 0 AND reltuples <= 0 FROM pg_class WHERE oid = 'public.users'::regclass"), "users has statistics already");
        Assert.DoesNotContain((await PostgresFixture.ReadLiveAsync(db)).Tables, t => t.Name == "users" && t.HasRows);

        var engine = Engines.For(db, SchemaEdits.With("95_index.sql", """
            CREATE INDEX idx_users_display_name ON users (display_name);
            CREATE INDEX idx_progress_records_created ON progress_records (user_id, id);
            """));
        var plan = await engine.PlanAsync();

        // users has rows: its index is built CONCURRENTLY, outside the transaction; progress_records is empty.
        var onUsers = Assert.Single(plan.Statements, s => s.Sql.Contains("idx_users_display_name", StringComparison.Ordinal));
        Assert.Contains("CONCURRENTLY", onUsers.Sql);
        Assert.False(onUsers.Transactional);
        var onEmpty = Assert.Single(plan.Statements, s => s.Sql.Contains("idx_progress_records_created", StringComparison.Ordinal));
        Assert.DoesNotContain("CONCURRENTLY", onEmpty.Sql);
        Assert.True(onEmpty.Transactional);
    }

    [Fact]
    public async Task The_census_finds_each_kind_whose_query_it_may_skip_and_nothing_in_a_schema_without_them()
    {
        var db = await pg.NewDatabaseAsync();
        await PostgresFixture.ExecuteAsync(db, "CREATE TABLE plain (id int PRIMARY KEY)");
        Assert.Empty(await CensusAsync(db));
        var plain = await PostgresFixture.ReadLiveAsync(db);
        Assert.Equal("plain", Assert.Single(plain.Tables).Name);
        Assert.Empty(plain.Views);

        await PostgresFixture.ExecuteAsync(db, """
            CREATE TYPE mood AS ENUM ('calm', 'busy');
            CREATE DOMAIN positive AS int CHECK (VALUE > 0);
            CREATE TYPE span AS RANGE (subtype = int8);
            CREATE TYPE pair AS (a int, b int);
            CREATE SEQUENCE tickets;
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER plain_touch BEFORE UPDATE ON plain FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE POLICY plain_all ON plain USING (true);
            CREATE VIEW plain_ids AS SELECT id FROM plain;
            CREATE MATERIALIZED VIEW plain_copy AS SELECT id FROM plain;
            """);
        Assert.Equal(CatalogCensus.Tokens.Order(StringComparer.Ordinal), (await CensusAsync(db)).Order(StringComparer.Ordinal));

        // Every kind the census lets a query skip is read once it is there.
        var read = await PostgresFixture.ReadLiveAsync(db);
        Assert.Equal(["mood"], read.Enums.Select(e => e.Name));
        Assert.Equal(["positive"], read.Domains.Select(d => d.Name));
        Assert.Equal(["span"], read.RangeTypes.Select(r => r.Name));
        Assert.Equal(["pair"], read.CompositeTypes.Select(c => c.Name));
        Assert.Equal(["tickets"], read.Sequences.Select(q => q.Name));
        Assert.Equal(["touch"], read.Functions.Select(f => f.Name));
        Assert.Equal(["plain_touch"], read.Triggers.Select(t => t.Name));
        Assert.Equal(["plain_all"], read.Policies.Select(p => p.Name));
        Assert.Equal([("plain_ids", false), ("plain_copy", true)], read.Views.Select(v => (v.Name, v.Materialized)));
    }

    private static async Task<string[]> CensusAsync(string db) =>
        await PostgresFixture.ScalarAsync<string[]>(db, CatalogCensus.Query.Replace("$1", "'public'", StringComparison.Ordinal)) ?? [];
}
