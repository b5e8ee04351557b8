using KnowItAll.Migrations.Desired;
using Npgsql;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// Issue 18 item 5: valid but tricky schemas never crash the loader. Each either loads, or is refused with a
/// SchemaError that names what is not modelled; any other exception fails the test. And item 4: a plan PostgreSQL
/// would refuse fails when it is made, naming the statement, with nothing changed.
/// </summary>
[Collection(PostgresParallelC.Name)]
public sealed class LoaderRobustnessTests(PostgresFixture pg)
{
    /// <summary>Schema text, and null when it must load or a fragment the SchemaError must hold.</summary>
    public static TheoryData<string, string?> Schemas => new()
    {
        { "CREATE TABLE a (id int NOT NULL); CREATE UNIQUE INDEX a_id ON a (id); CREATE TABLE b (a_id int REFERENCES a (id));", null },
        { "CREATE TABLE a (id int NOT NULL); CREATE UNIQUE INDEX a_id ON a (id) WHERE id > 0; CREATE INDEX a_e ON a ((id + 1)); CREATE TABLE b " +
            "(a_id int REFERENCES a (id));", "no unique constraint matching" },
        { "CREATE TABLE m (id int, d date) PARTITION BY RANGE (d); CREATE UNIQUE INDEX m_u ON m (id, d); CREATE TABLE m1 PARTITION OF m FOR VALUES " +
            "FROM ('2020-01-01') TO ('2021-01-01'); CREATE TABLE r (id int, d date, FOREIGN KEY (id, d) REFERENCES m (id, d));", null },
        { "CREATE TABLE m (id int, d date, PRIMARY KEY (id, d)) PARTITION BY RANGE (d); CREATE TABLE m1 PARTITION OF m FOR VALUES FROM " +
            "('2020-01-01') TO ('2021-01-01'); CREATE TABLE m2 PARTITION OF m DEFAULT; CREATE INDEX m_e ON m ((id * 2)) WHERE id IN (1, 2); " +
            "COMMENT ON INDEX m_e IS 'on the parent';", null },
        { "CREATE TABLE m (id int, d date) PARTITION BY LIST (id); CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1) PARTITION BY RANGE (d); CREATE " +
            "TABLE m1a PARTITION OF m1 FOR VALUES FROM ('2020-01-01') TO ('2021-01-01'); CREATE UNIQUE INDEX m_u ON m (id, d); CREATE INDEX m_l ON " +
            "m ((d + 1)) WHERE id IN (1, 2);", null },
        { "CREATE TABLE c (id int PRIMARY KEY, d date NOT NULL) ; CREATE TABLE m (id int, d date) PARTITION BY RANGE (d); ALTER TABLE m ATTACH " +
            "PARTITION c FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');", null },
        { "CREATE TABLE m (id int, d date, v int DEFAULT 0 CHECK (v IN (0, 5))) PARTITION BY RANGE (d); CREATE TABLE m1 PARTITION OF m (v DEFAULT " +
            "5, CONSTRAINT own CHECK (v IN (5, 6))) FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');", null },
        { "CREATE EXTENSION IF NOT EXISTS btree_gist; CREATE TABLE b (room int, during tsrange, EXCLUDE USING gist (room WITH =, during WITH &&) " +
            "WHERE (room IN (1, 2)) DEFERRABLE);", null },
        { "CREATE TABLE u (a int, b int, UNIQUE (a) DEFERRABLE INITIALLY DEFERRED, UNIQUE (b), c int REFERENCES u (b) DEFERRABLE INITIALLY " +
            "DEFERRED);", null },
        { "CREATE TABLE t (id int PRIMARY KEY, n int); CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$; CREATE " +
            "CONSTRAINT TRIGGER ct AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tf();", null },
        { "CREATE TABLE t (w numeric, h numeric, area numeric GENERATED ALWAYS AS (w * h) STORED CHECK (area IN (1, 2)));", null },
        { "CREATE TABLE t (id int PRIMARY KEY, n text); CREATE MATERIALIZED VIEW mv AS SELECT id, n FROM t; CREATE UNIQUE INDEX mv_id ON mv (id); " +
            "CREATE INDEX mv_e ON mv (lower(n)) WHERE id IN (1, 2); COMMENT ON INDEX mv_e IS 'kept';", null },
        { "CREATE TABLE a (id int, v text, PRIMARY KEY (id) INCLUDE (v)); CREATE INDEX a_v ON a (v text_pattern_ops DESC NULLS FIRST) INCLUDE " +
            "(id); CREATE TABLE l (LIKE a INCLUDING ALL);", null },
        { "CREATE TABLE a (id int NOT NULL); CREATE UNIQUE INDEX a_i ON a (id); ALTER TABLE a ADD CONSTRAINT a_k UNIQUE USING INDEX a_i; CREATE " +
            "TABLE b (id int REFERENCES a (id));", null },
        { "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY REFERENCES c (id), p int REFERENCES p ON DELETE CASCADE); ALTER " +
            "TABLE c ADD CONSTRAINT c_chk CHECK (p IN (1, 2)) NOT VALID; COMMENT ON CONSTRAINT c_chk ON c IS 'kept';", null },
        { "CREATE DOMAIN positive AS int CHECK (VALUE > 0); CREATE DOMAIN small AS positive CHECK (VALUE < 10); CREATE TABLE t (id int, n small, p " +
            "numeric GENERATED ALWAYS AS (n * 2) STORED); COMMENT ON DOMAIN small IS 'kept';", null },
        { "CREATE TYPE pair AS (a int, b int); CREATE TABLE t (id int, p pair); COMMENT ON COLUMN pair.a IS 'first';", null },
        { "CREATE TYPE pair AS RANGE (subtype = int8); CREATE TABLE t (id int, p pair); COMMENT ON TYPE pair IS 'kept';", null },
        { "CREATE TYPE pair (input = pair_in, output = pair_out);", "only enum types" },
        { "CREATE TABLE a (id int CHECK (id > 0)); CREATE TABLE b (x int) INHERITS (a); COMMENT ON COLUMN b.x IS 'kept';", null },
        { "CREATE TABLE a (id int, body text COMPRESSION pglz);", "COMPRESSION" },
        { "CREATE TABLE a (id int); GRANT USAGE ON SCHEMA public TO knowitall_no_such_role;", "role knowitall_no_such_role does not exist" },
        { "CREATE TABLE a (id int); GRANT USAGE ON SCHEMA public TO PUBLIC WITH GRANT OPTION;", "not to PUBLIC" },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public async Task A_tricky_schema_loads_or_is_refused_by_name_and_never_crashes(string text, string? refusal)
    {
        var db = await pg.NewDatabaseAsync();
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        var source = SchemaSource.FromFiles(new SchemaFile("schema/tricky.sql", text));
        Exception? thrown = null;
        try
        {
            await DesiredSchemaLoader.LoadAsync(connection, source, new MigrationOptions { RunBy = "tests" }, CancellationToken.None);
        }
        catch (Exception e)
        {
            thrown = e;
        }
        if (thrown is not null and not MigrationException) Assert.Fail($"the loader crashed: {thrown}");
        if (refusal is null)
        {
            Assert.True(thrown is null, $"refused a valid schema: {thrown?.Message}");
            return;
        }
        var error = Assert.IsType<MigrationException>(thrown);
        Assert.Equal(MigrationErrors.SchemaError, error.ErrorName);
        Assert.Contains(refusal, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_PostgreSQL_would_refuse_fails_when_made_naming_the_statement_and_changes_nothing()
    {
        // A live table (drift: schema/ does not name it) holds the name the new unique constraint's index needs.
        var db = await pg.NewDatabaseAsync();
        await PostgresFixture.ExecuteAsync(db, "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE a_x_key (id int);");
        var engine = Engines.For(db, SchemaSource.FromFiles(new SchemaFile("schema/a.sql", "CREATE TABLE a (id int PRIMARY KEY, x int UNIQUE);")));
        var before = (await PostgresFixture.ReadLiveAsync(db)).Canonical();

        var planned = await Assert.ThrowsAsync<MigrationException>(() => engine.PlanAsync());
        Assert.Equal(MigrationErrors.PlanInvalid, planned.ErrorName);
        Assert.Contains("a.a_x_key", planned.Message, StringComparison.Ordinal);
        Assert.Contains("relation \"a_x_key\" already exists", planned.Message, StringComparison.Ordinal);
        var applied = await Assert.ThrowsAsync<MigrationException>(() => engine.ApplyAsync(new ApplyRequest()));
        Assert.Equal(MigrationErrors.PlanInvalid, applied.ErrorName);
        Assert.Equal(before, (await PostgresFixture.ReadLiveAsync(db)).Canonical());
        Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'knowitall_proof_%'"));
    }
}
