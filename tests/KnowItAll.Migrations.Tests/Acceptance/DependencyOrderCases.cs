using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Statements ordered by the objects' dependencies (issue 18, item 7), where a fixed order of kinds puts one object before
/// what it needs: a function of a table's row type read by a view, a materialized view of such a function and its index, a
/// key attached USING INDEX after the index is built, a foreign key on a unique index the plan builds, an expression index on
/// a function of its table's row type, a domain whose check calls a function, a composite type holding a table's row, a
/// SQL-standard function body (parsed when created) reading a new table, a check calling a new function of its table's row type,
/// a function of another schema's row type.
/// </summary>
public static class DependencyOrderCases
{
    private const string Items = "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); ";
    private const string ActiveItems = "CREATE FUNCTION active_items() RETURNS SETOF items LANGUAGE sql STABLE AS $$ SELECT * FROM items $$; ";
    private const string SeedItems = "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 300) g;";

    public static IEnumerable<AcceptanceCase> All()
    {
        yield return new("dependency order: a view of a function returning a table's rows", "",
            Items + ActiveItems + "CREATE VIEW item_names AS SELECT name FROM active_items();",
            Sql: ["CREATE VIEW \"public\".\"item_names\""]);
        yield return new("dependency order: a materialized view of a row-type function, indexed", Items, Items + ActiveItems +
            "CREATE MATERIALIZED VIEW item_index AS SELECT id, name FROM active_items(); CREATE UNIQUE INDEX item_index_id ON item_index (id);",
            SeedItems, [H.MaterializedViewPopulate], ["CREATE UNIQUE INDEX IF NOT EXISTS item_index_id"])
        { Checks = ["SELECT count(*) = 300 FROM item_index"] };
        yield return new("dependency order: a unique key attached USING INDEX on a table with rows", Items,
            Items + "ALTER TABLE items ADD CONSTRAINT items_name_key UNIQUE (name);", SeedItems,
            [H.AccessExclusiveLock, H.UniqueBuild], ["UNIQUE USING INDEX \"items_name_key\""])
        { Checks = ["SELECT count(*) = 300 FROM items"] };
        yield return new("dependency order: a foreign key on a unique index the plan builds concurrently", Items +
            "CREATE TABLE tags (item_name text, tag text); ",
            Items + "CREATE UNIQUE INDEX items_name_idx ON items (name); CREATE TABLE tags (item_name text, tag text); " +
            "ALTER TABLE tags ADD CONSTRAINT tags_item_fk FOREIGN KEY (item_name) REFERENCES items (name);",
            SeedItems + "INSERT INTO tags SELECT 'item ' || g, 't' FROM generate_series(1, 300) g;",
            [H.IndexBuild, H.ShareRowExclusiveLock, H.ForeignKeyValidation], ["REFERENCES public.items(name) NOT VALID"])
        { Checks = ["SELECT count(*) = 300 FROM tags"] };
        yield return new("dependency order: an expression index on a function of its table's row type", "",
            Items + "CREATE FUNCTION label(items) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT $1.id || ':' || $1.name $$; " +
            "CREATE INDEX items_label ON items (label(items));",
            Sql: ["CREATE INDEX IF NOT EXISTS items_label"]);
        yield return new("dependency order: a domain whose check calls a function", "",
            "CREATE FUNCTION is_even(int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 % 2 = 0 $$; " +
            "CREATE DOMAIN even AS int CHECK (is_even(VALUE)); CREATE TABLE pairs (n even);",
            Sql: ["CREATE DOMAIN \"public\".\"even\""]);
        yield return new("dependency order: a composite type holding a table's row", "",
            Items + "CREATE TYPE tagged_item AS (item items, tag text); CREATE TABLE tagged (t tagged_item);",
            Sql: ["CREATE TYPE \"public\".\"tagged_item\""]);
        yield return new("dependency order: a view calling a function of another view's row type", "",
            Items + "CREATE VIEW named AS SELECT id, name FROM items; " +
            "CREATE FUNCTION describe(named) RETURNS text LANGUAGE sql STABLE AS $$ SELECT $1.name $$; " +
            "CREATE VIEW described AS SELECT describe(n) AS d FROM named n;",
            Sql: ["CREATE VIEW \"public\".\"described\""]);
        yield return new("dependency order: a function with a SQL-standard body reading a table the plan creates", "",
            Items + "CREATE FUNCTION item_count() RETURNS bigint LANGUAGE sql STABLE RETURN (SELECT count(*) FROM items);",
            Sql: ["RETURN (SELECT count(*) AS count"]);
        yield return new("dependency order: a check on a table with rows calling a new function of its row type", Items,
            Items + "CREATE FUNCTION named(items) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1.name <> '' $$; " +
            "ALTER TABLE items ADD CONSTRAINT items_named CHECK (named(items));", SeedItems,
            [H.AccessExclusiveLock, H.CheckValidation], ["VALIDATE CONSTRAINT \"items_named\""])
        { Checks = ["SELECT count(*) = 300 FROM items"] };
        yield return new("dependency order: a function of another new schema's row type, read by a view", "",
            "CREATE SCHEMA billing; CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL); " +
            "CREATE FUNCTION invoices() RETURNS SETOF billing.invoices LANGUAGE sql STABLE AS $$ SELECT * FROM billing.invoices $$; " +
            "CREATE VIEW invoiced AS SELECT sum(amount) AS total FROM invoices();",
            Sql: ["CREATE VIEW \"public\".\"invoiced\""]);
    }
}
