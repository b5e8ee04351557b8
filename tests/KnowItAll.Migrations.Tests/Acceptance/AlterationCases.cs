using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Alterations in place (issue 18, item 2): column types and collations (metadata-only where PostgreSQL says so; a rewrite,
/// scan or index rebuild of a table with rows runs when the table is small and waits to be allowed past 8 MiB), defaults and NOT NULL dropped,
/// identities added, removed and re-optioned, sequence options and owners, serial columns, REPLICA IDENTITY.
/// </summary>
public static class AlterationCases
{
    private const string Items = "CREATE TABLE items (id int PRIMARY KEY, name varchar(20), price numeric(10,2), qty int, code text);";
    private const string SeedItems = "INSERT INTO items SELECT g, 'item ' || g, g, g, g::text FROM generate_series(1, 400) g;";

    // About 13 MiB with its index: past OptInHazards.BriefLockBytes.
    private const string SeedLargeItems = "INSERT INTO items SELECT g, 'item ' || g, g, g, repeat('x', 200) || g FROM generate_series(1, 50000) g;";
    private const string LargeItemsKept = "SELECT count(*) = 50000 AND sum(qty) = 1250025000 FROM items";

    public static IEnumerable<AcceptanceCase> All() => [.. Types(), .. Collations(), .. DefaultsAndNulls(), .. Identities(), .. Sequences(),
        .. ReplicaIdentities()];

    private static string Items_(string find, string replace) => Items.Replace(find, replace, StringComparison.Ordinal);

    private static IEnumerable<AcceptanceCase> Types()
    {
        yield return new("alter: varchar widened on rows is metadata-only", Items, Items_("varchar(20)", "varchar(50)"), SeedItems,
            [H.AccessExclusiveLock], ["ALTER COLUMN \"name\" TYPE character varying(50)"]);
        yield return new("alter: varchar to text on rows with an index is metadata-only", Items + "CREATE INDEX items_name ON items (name);",
            Items_("varchar(20)", "text") + "CREATE INDEX items_name ON items (name);", SeedItems, [H.AccessExclusiveLock],
            ["ALTER COLUMN \"name\" TYPE text"]);
        yield return new("alter: numeric precision raised on rows is metadata-only", Items, Items_("numeric(10,2)", "numeric(14,2)"), SeedItems,
            [H.AccessExclusiveLock], ["TYPE numeric(14,2)"]);
        yield return new("alter: integer to bigint on a small table with rows rewrites it briefly", Items, Items_("qty int", "qty bigint"), SeedItems,
            [H.TableRewrite, H.AccessExclusiveLock], ["TYPE bigint"])
        { Checks = ["SELECT sum(qty) = 80200 FROM items"] };
        yield return new("alter: integer to bigint on a table over 8 MiB waits to be allowed", Items, Items_("qty int", "qty bigint"), SeedLargeItems,
            [H.TableRewrite, H.LongExclusiveLock], Blocked: true)
        { Checks = [LargeItemsKept] };
        yield return new("alter: integer to bigint on a table over 8 MiB when allowed", Items, Items_("qty int", "qty bigint"), SeedLargeItems,
            [H.TableRewrite, H.LongExclusiveLock], ["TYPE bigint"])
        { Allow = [H.LongExclusiveLock], Checks = [LargeItemsKept] };
        yield return new("alter: varchar narrowed on a small table with rows rewrites it briefly", Items, Items_("varchar(20)", "varchar(10)"),
            "INSERT INTO items SELECT g, 'i' || g FROM generate_series(1, 400) g;", [H.TableRewrite, H.AccessExclusiveLock]);
        yield return new("alter: integer to bigint on an empty table rewrites it", Items, Items_("qty int", "qty bigint"), Hazards: [H.TableRewrite],
            Sql: ["TYPE bigint"]);
        yield return new("alter: primary key column to bigint on an empty table", Items, Items_("id int", "id bigint"), Hazards: [H.TableRewrite]);
        yield return new("alter: text to integer needs USING", Items, Items_("code text", "code integer"), Hazards: [H.TableRewrite],
            Sql: ["USING \"code\"::integer"]);
        yield return new("alter: type and default change together", "CREATE TABLE t (id int, n int DEFAULT 0);",
            "CREATE TABLE t (id int, n bigint DEFAULT 10);",
            Hazards: [H.TableRewrite], Sql: ["ALTER COLUMN \"n\" DROP DEFAULT", "TYPE bigint", "SET DEFAULT 10"]);
        yield return new("alter: type change under a view re-creates the view",
            Items + "CREATE VIEW cheap AS SELECT id, qty FROM items WHERE qty < 5;",
            Items_("qty int", "qty bigint") + "CREATE VIEW cheap AS SELECT id, qty FROM items WHERE qty < 5;",
            Hazards: [H.AccessExclusiveLock, H.TableRewrite, H.ObjectReplaced], Sql: ["DROP VIEW IF EXISTS \"public\".\"cheap\""]);
        yield return new("alter: type change a check does not fit is refused", "CREATE TABLE t (id int, n int CONSTRAINT t_n CHECK (n > 0));",
            "CREATE TABLE t (id int, n text CONSTRAINT t_n CHECK (n <> ''));", Hazards: [H.TypeChangeRefused, H.ObjectReplaced], Blocked: true);
        yield return new("alter: type change under a policy naming the column is blocked", Items +
            "ALTER TABLE items ENABLE ROW LEVEL SECURITY; CREATE POLICY few ON items USING (qty < 5);",
            Items_("qty int", "qty bigint") + "ALTER TABLE items ENABLE ROW LEVEL SECURITY; CREATE POLICY few ON items USING (qty < 5);",
            Hazards: [H.TypeChangeRefused], Blocked: true);
        yield return new("alter: type change beside a trigger that does not name the column", "CREATE TABLE t (id int, name varchar(5));" + Trigger,
            "CREATE TABLE t (id int, name varchar(9));" + Trigger, "INSERT INTO t VALUES (1, 'a');", [H.AccessExclusiveLock]);
    }

    private const string Trigger =
        "CREATE FUNCTION keep() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$; CREATE TRIGGER t_keep BEFORE UPDATE ON t FOR EACH " +
        "ROW EXECUTE FUNCTION keep();";

    private static IEnumerable<AcceptanceCase> Collations()
    {
        yield return new("alter: collation changed on rows without an index", Items, Items_("code text", "code text COLLATE \"C\""), SeedItems,
            [H.AccessExclusiveLock], ["TYPE text COLLATE \"C\""]);
        yield return new("alter: collation changed on a small table with rows and an index rebuilds it briefly", Items +
            "CREATE INDEX items_code ON items (code);",
            Items_("code text", "code text COLLATE \"C\"") + "CREATE INDEX items_code ON items (code);", SeedItems,
            [H.IndexRebuild, H.AccessExclusiveLock]);
        yield return new("alter: collation changed on a table over 8 MiB with an index waits to be allowed", Items +
            "CREATE INDEX items_code ON items (code);",
            Items_("code text", "code text COLLATE \"C\"") + "CREATE INDEX items_code ON items (code);", SeedLargeItems,
            [H.IndexRebuild, H.LongExclusiveLock],
            Blocked: true)
        { Checks = [LargeItemsKept] };
        yield return new("alter: collation back to the default on an empty table rebuilds its index", Items_("code text", "code text COLLATE \"C\"") +
            "CREATE INDEX items_code ON items (code);",
            Items + "CREATE INDEX items_code ON items (code);", Hazards: [H.IndexRebuild], Sql: ["COLLATE pg_catalog.\"default\""]);
    }

    private static IEnumerable<AcceptanceCase> DefaultsAndNulls()
    {
        yield return new("alter: default dropped on rows", "CREATE TABLE t (id int, n int DEFAULT 7);", "CREATE TABLE t (id int, n int);",
            "INSERT INTO t SELECT g, g FROM generate_series(1, 50) g;",
            [H.AccessExclusiveLock], ["ALTER COLUMN \"n\" DROP DEFAULT"]);
        yield return new("alter: NOT NULL dropped on rows", "CREATE TABLE t (id int, n int NOT NULL);", "CREATE TABLE t (id int, n int);",
            "INSERT INTO t SELECT g, g FROM generate_series(1, 50) g;",
            [H.AccessExclusiveLock], ["ALTER COLUMN \"n\" DROP NOT NULL"]);
        yield return new("alter: NOT NULL and default dropped together", "CREATE TABLE t (id int, n int NOT NULL DEFAULT 1);",
            "CREATE TABLE t (id int, n int);",
            Sql: ["DROP DEFAULT", "DROP NOT NULL"]);
        yield return new("alter: nullable column of a primary key schema/ no longer declares stays drift",
            "CREATE TABLE t (id int PRIMARY KEY, n int);", "CREATE TABLE t (id int, n int);",
            Drift: true);
    }

    private static IEnumerable<AcceptanceCase> Identities()
    {
        const string Rows = "INSERT INTO t (id, v) SELECT g, 'v' FROM generate_series(1, 300) g;";
        yield return new("alter: identity added to a NOT NULL column with rows continues past them", "CREATE TABLE t (id bigint NOT NULL, v text);",
            "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY, v text);", Rows, [H.AccessExclusiveLock],
            ["ADD GENERATED ALWAYS AS IDENTITY", "pg_catalog.setval("]);
        yield return new("alter: identity added to a nullable column with rows", "CREATE TABLE t (id bigint, v text);",
            "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY, v text);", Rows, [H.AccessExclusiveLock, H.CheckValidation],
            ["ADD GENERATED BY DEFAULT AS IDENTITY"]);
        yield return new("alter: identity added with options to an empty table", "CREATE TABLE t (id int NOT NULL DEFAULT 0, v text);",
            "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5 CACHE 20), v text);",
            Sql: ["DROP DEFAULT", "(START WITH 100 INCREMENT BY 5 CACHE 20)"]);
        yield return new("alter: identity removed keeps its rows", "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY, v text);",
            "CREATE TABLE t (id bigint NOT NULL, v text);", Rows,
            [H.IdentityDropped, H.AccessExclusiveLock], ["DROP IDENTITY IF EXISTS"]);
        yield return new("alter: identity removed and made nullable", "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY, v text);",
            "CREATE TABLE t (id bigint, v text);",
            Hazards: [H.IdentityDropped], Sql: ["DROP IDENTITY IF EXISTS", "DROP NOT NULL"]);
        yield return new("alter: identity switched from ALWAYS to BY DEFAULT", "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY, v text);",
            "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY, v text);", "INSERT INTO t (v) SELECT 'v' FROM generate_series(1, 300);",
            [H.AccessExclusiveLock], ["SET GENERATED BY DEFAULT"]);
        yield return new("alter: identity options changed", "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, v text);",
            "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 2 MINVALUE 5 MAXVALUE 100000 CACHE 4 CYCLE), v text);",
            Sql: ["SET INCREMENT BY 2 SET MINVALUE 5 SET MAXVALUE 100000 SET START WITH 10 SET CACHE 4 SET CYCLE RESTART"]);
        yield return new("alter: identity bounds that leave its counter out are blocked",
            "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, v text);",
            "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (MINVALUE 1000 START WITH 1000), v text);",
            "INSERT INTO t (v) SELECT 'v' FROM generate_series(1, 5);",
            [H.SequenceCounterOutOfRange], Blocked: true);
        yield return new("alter: identity bounds raised that still hold its counter", "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, v text);",
            "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (MAXVALUE 1000000), v text);",
            "INSERT INTO t (v) SELECT 'v' FROM generate_series(1, 5);",
            [H.AccessExclusiveLock], ["SET MAXVALUE 1000000"]);
        yield return new("alter: identity options set by ALTER in schema files", "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, v text);",
            "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, v text); ALTER TABLE t ALTER COLUMN id SET INCREMENT BY 3 SET GENERATED BY " +
            "DEFAULT;",
            Sql: ["SET GENERATED BY DEFAULT SET INCREMENT BY 3"]);
        yield return new("alter: column added with identity options to a table with rows", "CREATE TABLE t (v text);",
            "CREATE TABLE t (v text, n bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 1000 INCREMENT BY 10));",
            "INSERT INTO t SELECT 'v' FROM generate_series(1, 20);",
            [H.AccessExclusiveLock, H.TableRewrite], ["AS IDENTITY (START WITH 1000 INCREMENT BY 10)"]);
        yield return new("alter: table created with a descending identity", "",
            "CREATE TABLE t (id smallint GENERATED ALWAYS AS IDENTITY (INCREMENT BY -1), v text);",
            Sql: ["AS IDENTITY (INCREMENT BY -1)"]);
        yield return new("alter: identity type widened on an empty table",
            "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);",
            "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);", Hazards: [H.TableRewrite]);
    }

    private static IEnumerable<AcceptanceCase> Sequences()
    {
        yield return new("alter: sequence options changed, its counter kept", "CREATE SEQUENCE s; SELECT nextval('s');",
            "CREATE SEQUENCE s INCREMENT BY 5 MINVALUE 0 MAXVALUE 100000 START WITH 10 CACHE 10 CYCLE;", Hazards: [H.ShareRowExclusiveLock],
            Sql: ["ALTER SEQUENCE \"public\".\"s\" INCREMENT BY 5 MINVALUE 0 MAXVALUE 100000 START WITH 10 CACHE 10 CYCLE"]);
        yield return new("alter: sequence bounds that leave its counter out are blocked", "CREATE SEQUENCE s; SELECT setval('s', 50);",
            "CREATE SEQUENCE s MAXVALUE 20;",
            Hazards: [H.SequenceCounterOutOfRange], Blocked: true);
        yield return new("alter: sequence type changed", "CREATE SEQUENCE s AS integer;", "CREATE SEQUENCE s AS bigint;",
            Hazards: [H.ShareRowExclusiveLock],
            Sql: ["AS bigint MINVALUE 1 MAXVALUE 9223372036854775807"]);
        yield return new("alter: sequence owner set", "CREATE TABLE t (id int); CREATE SEQUENCE s;",
            "CREATE TABLE t (id int); CREATE SEQUENCE s OWNED BY t.id;",
            Hazards: [H.ShareRowExclusiveLock], Sql: ["OWNED BY \"public\".\"t\".\"id\""]);
        yield return new("alter: sequence owner removed", "CREATE TABLE t (id int); CREATE SEQUENCE s OWNED BY t.id;",
            "CREATE TABLE t (id int); CREATE SEQUENCE s;",
            Hazards: [H.ShareRowExclusiveLock], Sql: ["OWNED BY NONE"]);
        yield return new("alter: sequence options by ALTER SEQUENCE in schema files", "CREATE SEQUENCE s;",
            "CREATE SEQUENCE s; ALTER SEQUENCE s CACHE 50 NO CYCLE;",
            Hazards: [H.ShareRowExclusiveLock], Sql: ["CACHE 50"]);
        yield return new("alter: serial column added to a table with rows", "CREATE TABLE t (v text);", "CREATE TABLE t (v text, id serial);",
            "INSERT INTO t SELECT 'v' FROM generate_series(1, 20);", [H.AccessExclusiveLock, H.TableRewrite], ["OWNED BY \"public\".\"t\".\"id\""]);
        yield return new("alter: bigserial column added to an empty table", "CREATE TABLE t (v text);",
            "CREATE TABLE t (v text, id bigserial PRIMARY KEY);");
    }

    private static IEnumerable<AcceptanceCase> ReplicaIdentities()
    {
        const string T = "CREATE TABLE t (id int NOT NULL, v text); CREATE UNIQUE INDEX t_id ON t (id);";
        const string Rows = "INSERT INTO t SELECT g, 'v' FROM generate_series(1, 100) g;";
        yield return new("alter: replica identity full on rows", T, T + "ALTER TABLE t REPLICA IDENTITY FULL;", Rows, [H.AccessExclusiveLock],
            ["REPLICA IDENTITY FULL"]);
        yield return new("alter: replica identity using an index", T, T + "ALTER TABLE t REPLICA IDENTITY USING INDEX t_id;",
            Sql: ["REPLICA IDENTITY USING INDEX \"t_id\""]);
        yield return new("alter: replica identity back to default", T + "ALTER TABLE t REPLICA IDENTITY NOTHING;", T, Rows, [H.AccessExclusiveLock],
            ["REPLICA IDENTITY DEFAULT"]);
        yield return new("alter: replica identity on a new table", "", T + "ALTER TABLE t REPLICA IDENTITY USING INDEX t_id;",
            Sql: ["REPLICA IDENTITY USING INDEX \"t_id\""]);
        yield return new("alter: replica identity using an index built concurrently on rows", "CREATE TABLE t (id int NOT NULL, v text);",
            T + "ALTER TABLE t REPLICA IDENTITY USING INDEX t_id;", Rows, [H.IndexBuild, H.AccessExclusiveLock],
            ["CREATE UNIQUE INDEX CONCURRENTLY", "REPLICA IDENTITY USING INDEX"]);
    }
}
