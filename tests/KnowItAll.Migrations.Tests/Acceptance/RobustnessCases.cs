using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Issue 18 items 4-6: valid schemas whose objects depend on each other in ways the loader's canonicalisation and the
/// planner's order must respect, grants to other roles and their grant option, and a removed extension.
/// </summary>
public static class RobustnessCases
{
    /// <summary>Roles belong to the server, not to a test's database: created once, whichever case runs first.</summary>
    private const string OtherRole =
        "DO $$ BEGIN CREATE ROLE knowitall_other; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;";
    private const string Users = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);";

    public static IEnumerable<AcceptanceCase> All()
    {
        yield return new("robust: foreign key to a unique index, not a constraint", "",
            "CREATE TABLE a (id int NOT NULL); CREATE UNIQUE INDEX a_id ON a (id); CREATE TABLE b (a_id int REFERENCES a (id));");
        yield return new("robust: foreign key to a unique index added beside an existing table", "CREATE TABLE a (id int NOT NULL);",
            "CREATE TABLE a (id int NOT NULL); CREATE UNIQUE INDEX a_id ON a (id); CREATE TABLE b (a_id int REFERENCES a (id));");
        yield return new("robust: partitioned table whose unique index a foreign key references", "",
            "CREATE TABLE m (id int, d date) PARTITION BY RANGE (d); CREATE UNIQUE INDEX m_u ON m (id, d); " +
            "CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01'); CREATE TABLE r (id int, d date, FOREIGN KEY (id, d) " +
            "REFERENCES m (id, d));");
        yield return new("robust: partitions with a primary key, a default partition and a partial expression index", "",
            "CREATE TABLE m (id int, d date, PRIMARY KEY (id, d)) PARTITION BY RANGE (d); CREATE TABLE m1 PARTITION OF m FOR VALUES FROM " +
            "('2020-01-01') TO ('2021-01-01'); " +
            "CREATE TABLE m2 PARTITION OF m DEFAULT; CREATE INDEX m_e ON m ((id * 2)) WHERE id IN (1, 2); CREATE TABLE r (id int, d date, FOREIGN " +
            "KEY (id, d) REFERENCES m (id, d));");
        yield return new("robust: a partition's own default and check beside its parent's", "",
            "CREATE TABLE m (id int, d date, v int DEFAULT 0) PARTITION BY RANGE (d); CREATE TABLE m1 PARTITION OF m (v DEFAULT 5) FOR VALUES FROM " +
            "('2020-01-01') TO ('2021-01-01'); " +
            "ALTER TABLE m ADD CONSTRAINT ck CHECK (v IN (0, 5, 7)); CREATE TABLE m2 PARTITION OF m (CONSTRAINT c2 CHECK (v > -1 AND v IN (1, 2))) " +
            "FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');");
        yield return new("robust: exclusion constraint with a predicate, deferrable keys", "",
            "CREATE EXTENSION IF NOT EXISTS btree_gist; CREATE TABLE b (room int, during tsrange, EXCLUDE USING gist (room WITH =, during WITH &&) " +
            "WHERE (room IN (1, 2, 3)) DEFERRABLE INITIALLY DEFERRED); " +
            "CREATE TABLE u (a int, b int, c int, UNIQUE (a) DEFERRABLE INITIALLY DEFERRED, UNIQUE (b), FOREIGN KEY (c) REFERENCES u (b) " +
            "DEFERRABLE INITIALLY DEFERRED);");
        yield return new("robust: constraint trigger, check on a generated column, indexes and comments on a materialized view", "",
            "CREATE TABLE t (id int PRIMARY KEY, w numeric, h numeric, area numeric GENERATED ALWAYS AS (w * h) STORED CHECK (area IN (1, 2))); " +
            "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$; " +
            "CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tf(); " +
            "CREATE MATERIALIZED VIEW mv AS SELECT id, area FROM t; CREATE UNIQUE INDEX mv_id ON mv (id); CREATE INDEX mv_e ON mv ((area * 2)) " +
            "WHERE id IN (1, 2); " +
            "COMMENT ON INDEX mv_e IS 'expression'; COMMENT ON CONSTRAINT t_area_check ON t IS 'generated';",
            Hazards: [H.MaterializedViewPopulate]);
        yield return new("robust: INCLUDE, operator class, ordering and LIKE INCLUDING ALL", "",
            "CREATE TABLE a (id int, v text, w text COLLATE \"C\", PRIMARY KEY (id) INCLUDE (v)); " +
            "CREATE INDEX a_w ON a (w text_pattern_ops DESC NULLS FIRST) INCLUDE (v) WITH (fillfactor = 50); CREATE TABLE l (LIKE a INCLUDING ALL);");

        yield return new("grant: to a role other than the app role", OtherRole + Users, Users + "GRANT SELECT ON users TO knowitall_other;",
            Sql: ["GRANT SELECT ON TABLE \"public\".\"users\" TO \"knowitall_other\""]);
        yield return new("grant: WITH GRANT OPTION", OtherRole + Users, Users + "GRANT SELECT ON users TO knowitall_other WITH GRANT OPTION;",
            Sql: ["TO \"knowitall_other\" WITH GRANT OPTION"]);
        yield return new("grant: grant option added to an existing grant", OtherRole + Users + "GRANT SELECT ON users TO knowitall_other;",
            Users + "GRANT SELECT ON users TO knowitall_other WITH GRANT OPTION;", Sql: ["WITH GRANT OPTION"]);
        yield return new("grant: schema usage WITH GRANT OPTION", OtherRole + Users, Users +
            "GRANT USAGE ON SCHEMA public TO knowitall_other WITH GRANT OPTION;",
            Sql: ["GRANT USAGE ON SCHEMA \"public\" TO \"knowitall_other\" WITH GRANT OPTION"]);
        yield return new("grant: to another role removed is drift", OtherRole + Users + "GRANT SELECT ON users TO knowitall_other;", Users,
            Drift: true);
        yield return new("grant: grant option not in schema/ is drift", OtherRole + Users +
            "GRANT SELECT ON users TO knowitall_other WITH GRANT OPTION;",
            Users + "GRANT SELECT ON users TO knowitall_other;", Drift: true);
        yield return new("grant: usage on the schema for PUBLIC, which initdb gave", Users, Users + "GRANT USAGE ON SCHEMA public TO PUBLIC;");
        yield return new("extension: removed is drift", "CREATE EXTENSION IF NOT EXISTS pgcrypto; " + Users, Users, Drift: true);
    }
}
