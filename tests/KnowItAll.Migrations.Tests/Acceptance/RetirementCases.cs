using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Removals and renames declared in schema/, one case per form. Each new DDL is written as a migration log (the
/// object created, then declared away), so the harness can also run it directly; the other style (schema/ no longer
/// creating the object) is covered in RetirementTests. Every case checks that the data of everything else is intact.
/// </summary>
public static class RetirementCases
{
    private const string Users =
        "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, name text, legacy text);";
    private const string Seed =
        "INSERT INTO users (email, name, legacy) SELECT 'u' || g || '@example.com', 'User ' || g, CASE WHEN g % 2 = 0 THEN 'x' || g END FROM " +
        "generate_series(1, 500) g;";
    private const string Orders =
        "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), total numeric(10,2) NOT NULL DEFAULT 0);";
    private const string SeedOrders = "INSERT INTO orders (id, user_id, total) SELECT g, g, g FROM generate_series(1, 120) g;";
    private const string UsersIntact =
        "SELECT count(*) = 500 AND count(email) = 500 AND count(name) = 500 AND min(email) = 'u100@example.com' FROM users";
    private const string LegacyIntact = "SELECT count(legacy) = 250 FROM users";
    private const string Active = "CREATE VIEW active AS SELECT id, email FROM users;";
    private const string Mood = "CREATE TYPE mood AS ENUM ('sad', 'happy');";

    public static IEnumerable<AcceptanceCase> All()
    {
        // Removals that delete data: refused without the opt-in, applied with it.
        yield return new("retire: DROP COLUMN is refused without the opt-in", Users, Users + "ALTER TABLE users DROP COLUMN legacy;", Seed,
            [H.DeletesData], Blocked: true)
        { Checks = [UsersIntact, LegacyIntact] };
        yield return new("retire: DROP COLUMN with DELETES_DATA allowed", Users, Users + "ALTER TABLE users DROP COLUMN legacy;", Seed,
            [H.DeletesData],
            ["ALTER TABLE \"public\".\"users\" DROP COLUMN IF EXISTS \"legacy\""])
        {
            Allow = [H.DeletesData],
            Checks = [UsersIntact,
                "SELECT NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'legacy' AND NOT attisdropped)"]
        };
        yield return new("retire: DROP COLUMN IF EXISTS of a column schema/ no longer creates", Users,
            Users.Replace(", legacy text", "", StringComparison.Ordinal) + "ALTER TABLE users DROP COLUMN IF EXISTS legacy;",
            Seed, [H.DeletesData])
        { Allow = [H.DeletesData], Checks = [UsersIntact] };
        yield return new("retire: DROP TABLE with DELETES_DATA allowed", Users + Orders, Users + Orders + "DROP TABLE orders;", Seed + SeedOrders,
            [H.DeletesData], ["DROP TABLE IF EXISTS \"public\".\"orders\""])
        { Allow = [H.DeletesData], Checks = [UsersIntact, LegacyIntact, "SELECT to_regclass('orders') IS NULL"] };
        yield return new("retire: DROP TABLE is refused without the opt-in", Users + Orders, Users + Orders + "DROP TABLE orders;", Seed + SeedOrders,
            [H.DeletesData], Blocked: true)
        { Checks = [UsersIntact, "SELECT count(*) = 120 FROM orders"] };
        yield return new("retire: DROP TABLE IF EXISTS of a table schema/ no longer creates", Users + Orders, Users + "DROP TABLE IF EXISTS orders;",
            Seed + SeedOrders, [H.DeletesData])
        { Allow = [H.DeletesData], Checks = [UsersIntact] };

        // Removals that delete no data: planned from the declaration alone.
        yield return new("retire: DROP CONSTRAINT", Users + "ALTER TABLE users ADD CONSTRAINT users_name_check CHECK (name <> '');",
            Users + "ALTER TABLE users ADD CONSTRAINT users_name_check CHECK (name <> ''); ALTER TABLE users DROP CONSTRAINT users_name_check;", Seed,
            Sql: ["DROP CONSTRAINT IF EXISTS \"users_name_check\""])
        { Checks = [UsersIntact, LegacyIntact] };
        yield return new("retire: DROP CONSTRAINT of a foreign key", Users + Orders, Users + Orders +
            "ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;", Seed + SeedOrders)
        { Checks = [UsersIntact, "SELECT count(*) = 120 FROM orders"] };
        yield return new("retire: DROP VIEW", Users + Active, Users + Active + "DROP VIEW active;", Seed,
            Sql: ["DROP VIEW IF EXISTS \"public\".\"active\""])
        { Checks = [UsersIntact] };
        yield return new("retire: DROP MATERIALIZED VIEW", Users + "CREATE MATERIALIZED VIEW named AS SELECT id, name FROM users;",
            Users + "CREATE MATERIALIZED VIEW named AS SELECT id, name FROM users; DROP MATERIALIZED VIEW named;", Seed)
        { Checks = [UsersIntact] };
        yield return new("retire: DROP INDEX", Users + "CREATE INDEX users_name_idx ON users (name);", Users +
            "CREATE INDEX users_name_idx ON users (name); DROP INDEX users_name_idx;", Seed)
        { Checks = [UsersIntact, "SELECT to_regclass('users_name_idx') IS NULL"] };
        yield return new("retire: DROP SEQUENCE", "CREATE SEQUENCE counter;" + Users, "CREATE SEQUENCE counter;" + Users + "DROP SEQUENCE counter;",
            Seed)
        { Checks = [UsersIntact] };
        yield return new("retire: DROP FUNCTION by its argument types", Users +
            "CREATE FUNCTION add_one(i int) RETURNS int LANGUAGE sql AS 'SELECT i + 1';",
            Users + "CREATE FUNCTION add_one(i int) RETURNS int LANGUAGE sql AS 'SELECT i + 1'; DROP FUNCTION add_one(int);", Seed,
            Sql: ["DROP FUNCTION IF EXISTS \"public\".\"add_one\"(integer)"])
        { Checks = [UsersIntact] };
        yield return new("retire: DROP PROCEDURE", Users + "CREATE PROCEDURE noop() LANGUAGE sql AS 'SELECT 1';",
            Users + "CREATE PROCEDURE noop() LANGUAGE sql AS 'SELECT 1'; DROP PROCEDURE noop();", Seed)
        { Checks = [UsersIntact] };
        const string touch =
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.name := coalesce(NEW.name, 'x'); RETURN NEW; END$$; CREATE " +
            "TRIGGER users_touch BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION touch();";
        yield return new("retire: DROP TRIGGER ON", Users + touch, Users + touch + "DROP TRIGGER users_touch ON users;", Seed,
            Sql: ["DROP TRIGGER IF EXISTS \"users_touch\" ON \"public\".\"users\""])
        { Checks = [UsersIntact] };
        const string policy = "ALTER TABLE users ENABLE ROW LEVEL SECURITY; CREATE POLICY own ON users USING (true);";
        yield return new("retire: DROP POLICY ON", Users + policy, Users + policy + "DROP POLICY own ON users;", Seed) { Checks = [UsersIntact] };
        yield return new("retire: DROP TYPE", Mood + Users, Mood + Users + "DROP TYPE mood;", Seed) { Checks = [UsersIntact] };
        yield return new("retire: DROP TYPE of a composite type", "CREATE TYPE pair AS (a int, b int);",
            "CREATE TYPE pair AS (a int, b int); DROP TYPE pair;",
            Sql: ["DROP TYPE IF EXISTS \"public\".\"pair\""])
        { Checks = ["SELECT to_regtype('public.pair') IS NULL"] };
        yield return new("retire: REVOKE a table privilege", Users + "GRANT SELECT, INSERT ON users TO tutor_app;",
            Users + "GRANT SELECT, INSERT ON users TO tutor_app; REVOKE INSERT ON users FROM tutor_app;", Seed,
            Sql: ["REVOKE INSERT ON TABLE \"public\".\"users\" FROM \"tutor_app\""])
        {
            Checks =
            [UsersIntact, "SELECT has_table_privilege('tutor_app', 'users', 'SELECT') AND NOT has_table_privilege('tutor_app', 'users', 'INSERT')"]
        };
        yield return new("retire: REVOKE a column privilege", Users + "GRANT UPDATE (name) ON users TO tutor_app;",
            Users + "GRANT UPDATE (name) ON users TO tutor_app; REVOKE UPDATE (name) ON users FROM tutor_app;", Seed)
        { Checks = [UsersIntact] };

        // Renames: the data stays, under the new name.
        yield return new("rename: RENAME COLUMN keeps the values", Users, Users + "ALTER TABLE users RENAME COLUMN legacy TO old_code;", Seed,
            [H.RenameBreaksOldName],
            ["RENAME COLUMN \"legacy\" TO \"old_code\""])
        { Checks = [UsersIntact, "SELECT count(old_code) = 250 FROM users"] };
        yield return new("rename: RENAME TO of a table with a foreign key to it", Users + Orders, Users + Orders +
            "ALTER TABLE orders RENAME TO purchases;", Seed + SeedOrders, [H.RenameBreaksOldName])
        { Checks = [UsersIntact, "SELECT count(*) = 120 AND sum(total) = 7260 FROM purchases"] };
        yield return new("rename: ALTER INDEX RENAME TO", Users + "CREATE INDEX users_name_idx ON users (name);",
            Users + "CREATE INDEX users_name_idx ON users (name); ALTER INDEX users_name_idx RENAME TO users_by_name;", Seed, [H.RenameBreaksOldName])
        { Checks = [UsersIntact] };
        yield return new("rename: ALTER VIEW RENAME TO", Users + Active, Users + Active + "ALTER VIEW active RENAME TO active_users;", Seed,
            [H.RenameBreaksOldName])
        { Checks = [UsersIntact, "SELECT count(*) = 500 FROM active_users"] };
        // The rows are there before the materialized view is filled: the renamed view keeps its contents (no refresh).
        yield return new("rename: ALTER MATERIALIZED VIEW RENAME TO", Users + Seed + "CREATE MATERIALIZED VIEW named AS SELECT id, name FROM users;",
            Users + "CREATE MATERIALIZED VIEW named AS SELECT id, name FROM users; ALTER MATERIALIZED VIEW named RENAME TO user_names;", null,
            [H.RenameBreaksOldName])
        { Checks = ["SELECT count(*) = 500 FROM user_names"] };
        yield return new("rename: ALTER SEQUENCE RENAME TO", "CREATE SEQUENCE counter START 40;" + Users, "CREATE SEQUENCE counter START 40;" +
            Users + "ALTER SEQUENCE counter RENAME TO ticket;", Seed + "SELECT nextval('counter');",
            [H.RenameBreaksOldName])
        { Checks = [UsersIntact, "SELECT last_value = 40 FROM ticket"] };
        yield return new("rename: ALTER TYPE RENAME TO with a column of the type", Mood + "CREATE TABLE t (id int, m mood);", Mood +
            "CREATE TABLE t (id int, m mood); ALTER TYPE mood RENAME TO feeling;",
            "INSERT INTO t SELECT g, 'happy' FROM generate_series(1, 50) g;", [H.RenameBreaksOldName])
        { Checks = ["SELECT count(*) = 50 AND bool_and(m = 'happy') FROM t"] };
        yield return new("rename: ALTER TYPE RENAME VALUE", Mood + "CREATE TABLE t (id int, m mood);", Mood +
            "CREATE TABLE t (id int, m mood); ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
            "INSERT INTO t SELECT g, 'sad' FROM generate_series(1, 50) g;", [H.RenameBreaksOldName], ["RENAME VALUE 'sad' TO 'blue'"])
        { Checks = ["SELECT count(*) = 50 AND bool_and(m::text = 'blue') FROM t"] };

        // Already done: nothing to plan.
        yield return new("rename: a rename already done is nothing", Users.Replace("legacy text", "old_code text", StringComparison.Ordinal),
            Users + "ALTER TABLE users RENAME COLUMN legacy TO old_code;", Seed.Replace("legacy)", "old_code)", StringComparison.Ordinal))
        { Checks = ["SELECT count(old_code) = 250 FROM users"] };
        yield return new("retire: a removal already done is nothing", Users.Replace(", legacy text", "", StringComparison.Ordinal), Users +
            "ALTER TABLE users DROP COLUMN legacy;")
        { Allow = [H.DeletesData] };

        // Absence is never a declaration, whatever the run allows.
        yield return new("retire: a column merely left out stays, even with DELETES_DATA allowed", Users,
            Users.Replace(", legacy text", "", StringComparison.Ordinal), Seed, Drift: true)
        { Allow = [H.DeletesData], Checks = [UsersIntact, LegacyIntact] };
        yield return new("retire: a table merely left out stays, even with DELETES_DATA allowed", Users + Orders, Users, Seed + SeedOrders,
            Drift: true)
        { Allow = [H.DeletesData], Checks = [UsersIntact, "SELECT count(*) = 120 FROM orders"] };
    }
}
