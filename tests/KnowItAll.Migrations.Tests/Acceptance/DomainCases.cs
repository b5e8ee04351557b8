using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Domains and composite types (issue 18): created; a domain's default, NOT NULL and checks altered in place (a check
/// added NOT VALID and validated, a changed one replaced under a temporary name, one schema/ no longer gives dropped),
/// a base-type change blocked; a composite type's attribute added or retyped while no column uses it, blocked when one
/// does; comments; columns of both; and either kind left as drift when schema/ no longer names it.
/// </summary>
public static class DomainCases
{
    private const string Prices = "CREATE DOMAIN currency AS char(3); CREATE TABLE prices (id int PRIMARY KEY, cur currency, amount numeric);";
    private const string SeedPrices = "INSERT INTO prices SELECT g, 'EUR', g FROM generate_series(1, 300) g;";
    private const string Mails = "CREATE DOMAIN email AS text CHECK (VALUE ~ '@'); CREATE TABLE people (id int PRIMARY KEY, mail email);";
    private const string SeedMails = "INSERT INTO people SELECT g, 'p' || g || '@example.com' FROM generate_series(1, 300) g;";
    private const string Homes = "CREATE TYPE address AS (street text, city text); CREATE TABLE homes (id int PRIMARY KEY, at address);";
    private const string SeedHomes = "INSERT INTO homes SELECT g, ROW('street ' || g, 'city')::address FROM generate_series(1, 200) g;";

    public static IEnumerable<AcceptanceCase> All() => [.. Domains(), .. CompositeTypes()];

    private static IEnumerable<AcceptanceCase> Domains()
    {
        yield return new("domain: created with collation, default, NOT NULL, named and unnamed checks, and used by a table", "",
            "CREATE DOMAIN code AS text COLLATE \"C\" DEFAULT 'x' NOT NULL CONSTRAINT code_not_empty CHECK (VALUE <> '') CHECK (length(VALUE) < " +
            "10); " +
            "CREATE TABLE tags (id int PRIMARY KEY, c code);",
            Sql: ["CREATE DOMAIN \"public\".\"code\" AS text COLLATE \"C\" DEFAULT 'x'::text NOT NULL"]);
        yield return new("domain: over a domain, with a generated column reading it", "",
            "CREATE DOMAIN pct AS numeric CHECK (VALUE BETWEEN 0 AND 100); CREATE DOMAIN half AS pct CHECK (VALUE <= 50); " +
            "CREATE TABLE grades (id int PRIMARY KEY, score half NOT NULL, passed boolean GENERATED ALWAYS AS (score >= 25) STORED);");
        yield return new("domain: default set on a domain a table with rows uses", Prices,
            Prices.Replace("char(3)", "char(3) DEFAULT 'EUR'", StringComparison.Ordinal), SeedPrices,
            Sql: ["ALTER DOMAIN \"public\".\"currency\" SET DEFAULT 'EUR'::bpchar"]);
        yield return new("domain: default dropped", Prices.Replace("char(3)", "char(3) DEFAULT 'EUR'", StringComparison.Ordinal), Prices, SeedPrices,
            Sql: ["ALTER DOMAIN \"public\".\"currency\" DROP DEFAULT"])
        { Checks = ["SELECT count(*) = 300 FROM prices WHERE cur = 'EUR'"] };
        yield return new("domain: NOT NULL set scans the columns of a domain with rows", Prices,
            Prices.Replace("char(3)", "char(3) NOT NULL", StringComparison.Ordinal), SeedPrices,
            [H.CheckValidation], ["ALTER DOMAIN \"public\".\"currency\" SET NOT NULL"]);
        yield return new("domain: NOT NULL dropped", Prices.Replace("char(3)", "char(3) NOT NULL", StringComparison.Ordinal), Prices, SeedPrices,
            Sql: ["ALTER DOMAIN \"public\".\"currency\" DROP NOT NULL"]);
        yield return new("domain: check added on rows is added NOT VALID and validated on its own", Prices,
            Prices.Replace("char(3)", "char(3) CONSTRAINT currency_upper CHECK (VALUE = upper(VALUE))", StringComparison.Ordinal), SeedPrices,
            [H.CheckValidation], ["ADD CONSTRAINT \"currency_upper\" CHECK (((VALUE)::text = upper((VALUE)::text))) NOT VALID",
                "VALIDATE CONSTRAINT \"currency_upper\""]);
        yield return new("domain: unnamed check changed on rows is replaced under a temporary name", Mails,
            Mails.Replace("'@'", "'^[^@]+@[^@]+$'", StringComparison.Ordinal), SeedMails,
            [H.CheckValidation, H.ObjectReplaced],
            ["ADD CONSTRAINT \"email_check_knowitall_new\"", "VALIDATE CONSTRAINT \"email_check_knowitall_new\"",
                "RENAME CONSTRAINT \"email_check_knowitall_new\" TO \"email_check\""])
        { Checks = ["SELECT count(*) = 300 FROM people"] };
        yield return new("domain: check changed on a domain no column uses", "CREATE DOMAIN email AS text CHECK (VALUE ~ '@');",
            "CREATE DOMAIN email AS text CHECK (VALUE ~ '^[^@]+@[^@]+$');",
            Hazards: [H.ObjectReplaced], Sql: ["ALTER DOMAIN \"public\".\"email\" DROP CONSTRAINT IF EXISTS \"email_check\""]);
        yield return new("domain: a check schema/ no longer gives is dropped, keeping the rows", Mails,
            Mails.Replace(" CHECK (VALUE ~ '@')", "", StringComparison.Ordinal), SeedMails,
            [H.ObjectReplaced], ["DROP CONSTRAINT IF EXISTS \"email_check\""])
        { Checks = ["SELECT count(*) = 300 FROM people"] };
        yield return new("domain: base type changed under a column with rows is blocked", Prices,
            Prices.Replace("char(3)", "varchar(3)", StringComparison.Ordinal), SeedPrices,
            [H.TypeChangeRefused], Blocked: true)
        { Checks = ["SELECT count(*) = 300 FROM prices WHERE cur = 'EUR'"] };
        yield return new("domain: comment set", "CREATE DOMAIN cents AS bigint;",
            "CREATE DOMAIN cents AS bigint; COMMENT ON DOMAIN cents IS 'money in cents';",
            Sql: ["COMMENT ON TYPE public.cents IS 'money in cents'"]);
        yield return new("domain: column of a domain added to a table with rows", Mails,
            Mails.Replace("mail email)", "mail email, backup email)", StringComparison.Ordinal), SeedMails,
            [H.AccessExclusiveLock], ["\"backup\" public.email"]);
        yield return new("domain: column retyped to a domain on an empty table", "CREATE TABLE people (id int PRIMARY KEY, mail text);", Mails,
            Hazards: [H.TableRewrite], Sql: ["CREATE DOMAIN", "TYPE public.email"]);
        yield return new("domain: one schema/ no longer names is drift, never dropped", Prices + "CREATE DOMAIN cents AS bigint;", Prices, SeedPrices,
            Drift: true)
        { Checks = ["SELECT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'cents')"] };
    }

    private static IEnumerable<AcceptanceCase> CompositeTypes()
    {
        yield return new("composite: created with a collated attribute and used by a table", "",
            "CREATE TYPE address AS (street text, city text COLLATE \"C\", zip varchar(10)); CREATE TABLE homes (id int PRIMARY KEY, at address);",
            Sql: ["CREATE TYPE \"public\".\"address\" AS (\"street\" text, \"city\" text COLLATE \"C\", \"zip\" character varying(10))"]);
        yield return new("composite: attribute added to a type no column uses", "CREATE TYPE address AS (street text, city text);",
            "CREATE TYPE address AS (street text, city text, zip varchar(10));",
            Sql: ["ALTER TYPE \"public\".\"address\" ADD ATTRIBUTE \"zip\" character varying(10)"]);
        yield return new("composite: attribute retyped on a type no column uses", "CREATE TYPE address AS (street text, zip varchar(5));",
            "CREATE TYPE address AS (street text, zip varchar(10));", Sql: ["ALTER ATTRIBUTE \"zip\" TYPE character varying(10)"]);
        yield return new("composite: attribute added to a type a table with rows uses is blocked", Homes,
            Homes.Replace("city text)", "city text, zip text)", StringComparison.Ordinal), SeedHomes,
            [H.TypeChangeRefused], Blocked: true)
        { Checks = ["SELECT count(*) = 200 FROM homes WHERE (at).city = 'city'"] };
        yield return new("composite: column of a composite type added to a table with rows",
            Homes.Replace(", at address", "", StringComparison.Ordinal), Homes,
            "INSERT INTO homes SELECT g FROM generate_series(1, 200) g;", [H.AccessExclusiveLock], ["\"at\" public.address"]);
        yield return new("composite: comments on the type and an attribute", "CREATE TYPE address AS (street text, city text);",
            "CREATE TYPE address AS (street text, city text); COMMENT ON TYPE address IS 'postal'; COMMENT ON COLUMN address.city IS 'town';",
            Sql: ["COMMENT ON TYPE public.address IS 'postal'", "COMMENT ON COLUMN public.address.city IS 'town'"]);
        yield return new("composite: an attribute schema/ no longer gives is drift", "CREATE TYPE address AS (street text, city text);",
            "CREATE TYPE address AS (street text);", Drift: true);
        yield return new("composite: one schema/ no longer names is drift, never dropped", Homes + "CREATE TYPE point3 AS (x int, y int, z int);",
            Homes, SeedHomes, Drift: true)
        { Checks = ["SELECT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'point3')"] };
    }
}
