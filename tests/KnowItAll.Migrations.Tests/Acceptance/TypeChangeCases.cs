using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Column type changes PostgreSQL does not make on its own (issue 18): a column a view or materialized view reads (the views
/// dropped and created again around the change, in the transaction), a key column whose foreign keys follow it; and functions
/// whose arguments' names or result change, and grants on an identity's sequence.
/// </summary>
public static class TypeChangeCases
{
    private const string Items = "CREATE TABLE items (id int PRIMARY KEY, code varchar(20) NOT NULL, qty int NOT NULL DEFAULT 0);";

    private const string ItemsRetyped = "CREATE TABLE items (id int PRIMARY KEY, code text NOT NULL, qty bigint NOT NULL DEFAULT 0);";

    private const string SeedItems = "INSERT INTO items SELECT g, 'C' || g, g FROM generate_series(1, 200) g;";

    public static IEnumerable<AcceptanceCase> All()
    {
        const string codes = "CREATE VIEW item_codes AS SELECT id, code FROM items; GRANT SELECT ON item_codes TO tutor_app; " +
                             "COMMENT ON VIEW item_codes IS 'codes';";
        yield return new("type change: a view reads the column, dropped and created again with its grant and comment",
            Items + codes, Items.Replace("varchar(20)", "text", StringComparison.Ordinal) + codes, SeedItems,
            [H.ObjectReplaced, H.AccessExclusiveLock],
            ["DROP VIEW IF EXISTS \"public\".\"item_codes\"", "ALTER TABLE \"public\".\"items\" ALTER COLUMN \"code\" TYPE text"])
        {
            Checks = ["SELECT count(*) = 200 FROM item_codes", "SELECT has_table_privilege('tutor_app', 'item_codes', 'SELECT')"],
        };

        // The first view's columns stay (it filters on the column); the second only reads the first.
        const string busy = "CREATE VIEW busy AS SELECT id FROM items WHERE qty > 10; CREATE VIEW busy_ids AS SELECT id FROM busy;";
        yield return new("type change: a view filters on the rewritten column, it and the view reading it re-created",
            Items + busy, ItemsRetyped.Replace("code text", "code varchar(20)", StringComparison.Ordinal) + busy, SeedItems,
            [H.ObjectReplaced, H.AccessExclusiveLock, H.TableRewrite],
            ["DROP VIEW IF EXISTS \"public\".\"busy_ids\"", "DROP VIEW IF EXISTS \"public\".\"busy\"", "TYPE bigint"])
        {
            Checks = ["SELECT count(*) = 190 FROM busy_ids"],
        };

        const string totals = "CREATE MATERIALIZED VIEW item_totals AS SELECT id, qty FROM items; " +
                              "CREATE UNIQUE INDEX item_totals_id ON item_totals (id); COMMENT ON MATERIALIZED VIEW item_totals IS 'totals';";
        yield return new("type change: a materialized view reads the column, refilled with its index and comment",
            Items + totals, ItemsRetyped.Replace("code text", "code varchar(20)", StringComparison.Ordinal) + totals, SeedItems,
            [H.ObjectReplaced, H.AccessExclusiveLock, H.TableRewrite, H.MaterializedViewPopulate],
            ["DROP MATERIALIZED VIEW IF EXISTS \"public\".\"item_totals\"", "CREATE UNIQUE INDEX"])
        {
            Checks = ["SELECT count(*) = 200 AND sum(qty) = 20100 FROM item_totals"],
        };

        yield return new("type change: a view schema/ no longer names is refused, nothing changes",
            Items + "CREATE VIEW item_codes AS SELECT id, code FROM items;", Items.Replace("varchar(20)", "text", StringComparison.Ordinal),
            SeedItems, [H.TypeChangeRefused], Blocked: true, Drift: true)
        {
            Checks = ["SELECT format_type(atttypid, atttypmod) = 'character varying(20)' FROM pg_attribute WHERE attrelid = 'items'::regclass " +
                      "AND attname = 'code'"],
        };

        const string policy = "ALTER TABLE items ENABLE ROW LEVEL SECURITY; CREATE POLICY small ON items USING (qty < 1000);";
        yield return new("type change: a policy uses the column, refused",
            Items + policy, ItemsRetyped.Replace("code text", "code varchar(20)", StringComparison.Ordinal) + policy, SeedItems,
            [H.TypeChangeRefused], Blocked: true);

        const string keyed = "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));";
        const string seedKeyed = "INSERT INTO a SELECT g FROM generate_series(1, 300) g; INSERT INTO b SELECT g, g FROM generate_series(1, 300) g;";
        yield return new("type change: a key and the foreign key on it go to bigint together", keyed,
            keyed.Replace("id int PRIMARY KEY)", "id bigint PRIMARY KEY)", StringComparison.Ordinal)
                .Replace("a_id int", "a_id bigint", StringComparison.Ordinal), seedKeyed,
            [H.TableRewrite, H.ForeignKeyValidation, H.AccessExclusiveLock],
            ["ALTER TABLE \"public\".\"a\" ALTER COLUMN \"id\" TYPE bigint", "ALTER TABLE \"public\".\"b\" ALTER COLUMN \"a_id\" TYPE bigint"])
        {
            Checks = ["SELECT count(*) = 300 FROM b JOIN a ON a.id = b.a_id",
                "SELECT format_type(atttypid, 0) = 'bigint' FROM pg_attribute WHERE attrelid = 'b'::regclass AND attname = 'a_id'"],
        };
        yield return new("type change: a key goes to bigint, the integer foreign key on it still holds", keyed,
            keyed.Replace("(id int PRIMARY KEY); CREATE", "(id bigint PRIMARY KEY); CREATE", StringComparison.Ordinal), seedKeyed,
            [H.TableRewrite, H.ForeignKeyValidation, H.AccessExclusiveLock]);
        // Between the two statements the key would join text to integer, which PostgreSQL refuses (no operator, no implicit cast).
        yield return new("type change: a key that would not hold between the two changes (integer to text) is refused", keyed,
            keyed.Replace("id int PRIMARY KEY)", "id text PRIMARY KEY)", StringComparison.Ordinal)
                .Replace("a_id int", "a_id text", StringComparison.Ordinal), seedKeyed,
            [H.TableRewrite, H.ForeignKeyValidation, H.AccessExclusiveLock, H.TypeChangeRefused], Blocked: true)
        {
            Checks = ["SELECT count(*) = 300 FROM b JOIN a ON a.id = b.a_id"],
        };

        foreach (var c in Functions()) yield return c;
        foreach (var c in IdentitySequences()) yield return c;
    }

    private static IEnumerable<AcceptanceCase> Functions()
    {
        const string orders = "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10,2) NOT NULL DEFAULT 0);";
        const string taxOld =
            "CREATE FUNCTION order_tax(total numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT round(total * 0.2, 2) $$;";
        const string taxNew =
            "CREATE FUNCTION order_tax(amount numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT round(amount * 0.2, 2) $$;";
        const string extras = "GRANT EXECUTE ON FUNCTION order_tax(numeric) TO tutor_app; COMMENT ON FUNCTION order_tax(numeric) IS 'tax';";
        yield return new("function: argument renamed, dropped and created again with its grant and comment", orders + taxOld + extras,
            orders + taxNew + extras, Hazards: [H.ObjectReplaced],
            Sql: ["DROP FUNCTION IF EXISTS \"public\".\"order_tax\"(numeric)", "order_tax(amount numeric)"])
        {
            Checks = ["SELECT has_function_privilege('tutor_app', 'order_tax(numeric)', 'EXECUTE')",
                "SELECT obj_description('order_tax(numeric)'::regprocedure, 'pg_proc') = 'tax'", "SELECT order_tax(10) = 2"],
        };
        const string revoke = "REVOKE EXECUTE ON FUNCTION order_tax(numeric) FROM PUBLIC;";
        yield return new("function: argument renamed, PUBLIC's EXECUTE stays revoked", orders + taxOld + revoke, orders + taxNew + revoke,
            Hazards: [H.ObjectReplaced])
        {
            Checks = ["SELECT NOT has_function_privilege('public', 'order_tax(numeric)', 'EXECUTE')"],
        };
        yield return new("function: OUT parameters changed, dropped and created again",
            "CREATE FUNCTION split(n int, OUT half int, OUT rest int) LANGUAGE sql AS $$ SELECT n / 2, n % 2 $$;",
            "CREATE FUNCTION split(n int, OUT half int, OUT remainder int) LANGUAGE sql AS $$ SELECT n / 2, n % 2 $$;",
            Hazards: [H.ObjectReplaced]);
        yield return new("function: procedure argument renamed, dropped and created again", orders +
            "CREATE PROCEDURE zero(p_id bigint) LANGUAGE sql AS $$ UPDATE orders SET total = 0 WHERE id = p_id $$;", orders +
            "CREATE PROCEDURE zero(order_id bigint) LANGUAGE sql AS $$ UPDATE orders SET total = 0 WHERE id = order_id $$;",
            Hazards: [H.ObjectReplaced], Sql: ["DROP PROCEDURE IF EXISTS \"public\".\"zero\"(bigint)"]);
        yield return new("function: argument renamed while a view uses it is refused", orders + taxOld +
            "CREATE VIEW taxed AS SELECT id, order_tax(total) AS tax FROM orders;", orders + taxNew +
            "CREATE VIEW taxed AS SELECT id, order_tax(total) AS tax FROM orders;", Hazards: [H.FunctionNotReplaceable], Blocked: true);
        yield return new("function: argument renamed while a default uses it is refused", taxOld +
            "CREATE TABLE fees (id int, fee numeric DEFAULT order_tax(5));", taxNew + "CREATE TABLE fees (id int, fee numeric DEFAULT order_tax(5));",
            Hazards: [H.FunctionNotReplaceable], Blocked: true);
    }

    private static IEnumerable<AcceptanceCase> IdentitySequences()
    {
        const string users = "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);";
        const string grant = "GRANT USAGE ON SEQUENCE users_id_seq TO tutor_app;";
        yield return new("grant: usage on an existing identity's sequence", users, users + grant,
            "INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 50) g;",
            Sql: ["GRANT USAGE ON SEQUENCE \"public\".\"users_id_seq\" TO"])
        {
            Checks = ["SELECT has_sequence_privilege('tutor_app', 'users_id_seq', 'USAGE')"],
        };
        yield return new("grant: usage on the sequence of an identity created in the same plan", "", users + grant);
    }
}
