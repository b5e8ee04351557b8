using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Several schemas (issue 18 item 1): schema/ creates schemas and names their objects qualified; each kind converges in
/// them as in the target schema, references cross them both ways, and what schema/ no longer names there is drift.
/// </summary>
public static class SchemaCases
{
    private const string Billing = "CREATE SCHEMA billing; CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL);";
    private const string SeedBilling = "INSERT INTO billing.invoices SELECT g, g FROM generate_series(1, 300) g;";
    private const string Users = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);";

    public static IEnumerable<AcceptanceCase> All()
    {
        yield return new("schemas: a schema created with a table, index, sequence, enum, domain, function and view", "",
            "CREATE SCHEMA billing; CREATE TYPE billing.state AS ENUM ('open', 'paid'); CREATE DOMAIN billing.money AS numeric(12,2) " +
            "CHECK (VALUE >= 0); CREATE SEQUENCE billing.invoice_no START WITH 1000; CREATE TABLE billing.invoices (id bigint PRIMARY KEY, " +
            "no bigint NOT NULL DEFAULT nextval('billing.invoice_no'), amount billing.money NOT NULL, " +
            "state billing.state NOT NULL DEFAULT 'open'); " +
            "CREATE INDEX invoices_state ON billing.invoices (state); CREATE FUNCTION billing.total() RETURNS numeric LANGUAGE sql STABLE " +
            "AS $$ SELECT coalesce(sum(amount), 0) FROM billing.invoices $$; CREATE VIEW billing.open_invoices AS SELECT id, amount FROM " +
            "billing.invoices WHERE state = 'open';",
            Sql: ["CREATE SCHEMA IF NOT EXISTS \"billing\"", "CREATE TABLE IF NOT EXISTS \"billing\".\"invoices\""]);
        yield return new("schemas: two new schemas with a foreign key from the first created to the second", "",
            "CREATE SCHEMA audit; CREATE SCHEMA app; CREATE TABLE app.accounts (id int PRIMARY KEY); " +
            "CREATE TABLE audit.events (id bigint PRIMARY KEY, account_id int REFERENCES app.accounts (id));");
        yield return new("schemas: a column added to a table with rows in another schema", Billing, Billing + " ALTER TABLE billing.invoices " +
            "ADD COLUMN due date;", SeedBilling, [H.AccessExclusiveLock],
            ["ALTER TABLE \"billing\".\"invoices\" ADD COLUMN IF NOT EXISTS \"due\" date"])
        { Checks = ["SELECT count(*) = 300 FROM billing.invoices"] };
        yield return new("schemas: a column of another schema's table altered in place", Billing,
            Billing.Replace("numeric(12,2) NOT NULL", "numeric(12,2)", StringComparison.Ordinal), SeedBilling,
            [H.AccessExclusiveLock], ["ALTER TABLE \"billing\".\"invoices\" ALTER COLUMN \"amount\" DROP NOT NULL"]);
        yield return new("schemas: a foreign key from the target schema to another schema, both with rows",
            Billing + Users + "INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 300) g;",
            Billing + Users.Replace("email text NOT NULL", "email text NOT NULL, invoice_id bigint REFERENCES billing.invoices (id)",
                StringComparison.Ordinal), SeedBilling,
            [H.AccessExclusiveLock, H.ShareRowExclusiveLock, H.ForeignKeyValidation],
            ["REFERENCES billing.invoices(id)"]);
        yield return new("schemas: a view in the target schema reads another schema's table", Billing,
            Billing + " CREATE VIEW big_invoices AS SELECT id, amount FROM billing.invoices WHERE amount > 100;", SeedBilling);
        yield return new("schemas: a trigger in the target schema runs a function of another schema", "",
            "CREATE SCHEMA util; CREATE FUNCTION util.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.email := lower(NEW.email); " +
            "RETURN NEW; END $$; " + Users + " CREATE TRIGGER users_touch BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION util.touch();");
        yield return new("schemas: a policy on another schema's table", Billing,
            Billing + " ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY; CREATE POLICY invoices_app ON billing.invoices TO tutor_app " +
            "USING (amount > 0);", SeedBilling, [H.AccessExclusiveLock, H.RowLevelSecurity]);
        yield return new("schemas: usage granted and a comment on a schema schema/ creates", Billing,
            Billing + " GRANT USAGE ON SCHEMA billing TO tutor_app; GRANT SELECT ON billing.invoices TO tutor_app; " +
            "COMMENT ON SCHEMA billing IS 'invoices and payments';",
            Sql: ["GRANT USAGE ON SCHEMA \"billing\" TO \"tutor_app\"", "COMMENT ON SCHEMA"]);
        yield return new("schemas: an extension installed in a schema schema/ creates", "",
            "CREATE SCHEMA extensions; CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA extensions; " +
            "CREATE TABLE people (id int PRIMARY KEY, mail extensions.citext);",
            Sql: ["CREATE EXTENSION IF NOT EXISTS \"citext\" WITH SCHEMA \"extensions\""]);
        yield return new("schemas: a table another schema no longer names is drift, kept with its rows",
            Billing + " CREATE TABLE billing.payments (id int PRIMARY KEY);", Billing,
            "INSERT INTO billing.payments SELECT generate_series(1, 50);", Drift: true)
        { Checks = ["SELECT count(*) = 50 FROM billing.payments"] };
        yield return new("schemas: owners of a created schema and its objects, as pg_dump states them", OwnerCases.Role,
            Billing + " ALTER SCHEMA billing OWNER TO tutor_app; ALTER TABLE billing.invoices OWNER TO tutor_app;",
            Sql: ["ALTER SCHEMA billing OWNER TO \"tutor_app\"", "ALTER TABLE billing.invoices OWNER TO \"tutor_app\""])
        {
            Checks =
            [
                "SELECT nspowner::regrole::text = 'tutor_app' FROM pg_namespace WHERE nspname = 'billing'",
                "SELECT relowner::regrole::text = 'tutor_app' FROM pg_class WHERE oid = 'billing.invoices'::regclass",
            ],
        };
        yield return new("schemas: owners changed in another schema with rows",
            OwnerCases.Role + Billing + " ALTER SCHEMA billing OWNER TO tutor_app; ALTER TABLE billing.invoices OWNER TO tutor_app;",
            Billing + " ALTER SCHEMA billing OWNER TO knowitall_owner_b; ALTER TABLE billing.invoices OWNER TO knowitall_owner_b;", SeedBilling,
            [H.AccessExclusiveLock],
            ["ALTER SCHEMA billing OWNER TO \"knowitall_owner_b\"", "ALTER TABLE billing.invoices OWNER TO \"knowitall_owner_b\""])
        { Checks = ["SELECT count(*) = 300 FROM billing.invoices"] };
    }
}
