using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Tests;

/// <summary>The planner's last line of defence recognises data-losing SQL, and only that.</summary>
public sealed class PlannerGuardTests
{
    [Theory]
    [InlineData("DROP TABLE users")]
    [InlineData("ALTER TABLE users DROP COLUMN email")]
    [InlineData("ALTER TABLE users ALTER COLUMN email TYPE text")]
    [InlineData("ALTER TABLE users ALTER COLUMN email SET DATA TYPE text")]
    [InlineData("TRUNCATE users")]
    [InlineData("DELETE FROM users WHERE true")]
    [InlineData("ALTER TABLE users RENAME TO people")]
    [InlineData("REVOKE SELECT ON users FROM tutor_app")]
    [InlineData("ALTER TABLE users ALTER COLUMN email DROP NOT NULL")]
    [InlineData("DO $x$ BEGIN ALTER TABLE \"users\" DROP CONSTRAINT \"users_pkey\"; END $x$")]
    [InlineData("DROP DOMAIN email")]
    [InlineData("ALTER DOMAIN email DROP CONSTRAINT email_check")]
    public void Recognises_destructive_statements(string sql) => Assert.True(Planner.IsDestructive(sql));

    [Theory]
    [InlineData("ALTER TABLE \"public\".\"a\" ADD CONSTRAINT \"fk\" FOREIGN KEY (b) REFERENCES public.b(id) ON DELETE CASCADE")]
    [InlineData("CREATE TABLE IF NOT EXISTS \"public\".\"notes; DROP TABLE users; --\" (\"id\" integer)")]
    [InlineData("CREATE TABLE IF NOT EXISTS \"public\".\"t\" (\"note\" text DEFAULT 'DROP TABLE users'::text)")]
    [InlineData("ALTER TABLE \"public\".\"users\" ADD COLUMN IF NOT EXISTS \"kind\" text")]
    [InlineData("GRANT SELECT, UPDATE ON TABLE \"public\".\"users\" TO \"tutor_app\"")]
    public void Leaves_additive_statements_alone(string sql) => Assert.False(Planner.IsDestructive(sql));

    [Theory]
    [InlineData(StatementKind.IndexReplace, "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"users_name\"")]
    [InlineData(StatementKind.IndexReplace, "ALTER INDEX IF EXISTS \"public\".\"users_name_knowitall_new\" RENAME TO \"users_name\"")]
    [InlineData(StatementKind.ConstraintReplace,
        "DO $knowitall$ BEGIN\n  ALTER TABLE \"public\".\"users\" DROP CONSTRAINT IF EXISTS \"c\";\n  ALTER TABLE \"public\".\"users\" RENAME " +
        "CONSTRAINT \"c_knowitall_new\" TO \"c\";\nEND $knowitall$")]
    [InlineData(StatementKind.ConstraintReplace,
        "ALTER TABLE \"public\".\"orders\" DROP CONSTRAINT IF EXISTS \"fk\", ADD CONSTRAINT \"fk\" FOREIGN KEY (u) REFERENCES public.users(id) ON " +
        "DELETE CASCADE")]
    [InlineData(StatementKind.ViewReplace, "DROP MATERIALIZED VIEW IF EXISTS \"public\".\"emails\"")]
    [InlineData(StatementKind.PolicyReplace, "DROP POLICY IF EXISTS \"p\" ON \"public\".\"users\"")]
    [InlineData(StatementKind.FunctionReplace, "DROP FUNCTION IF EXISTS \"public\".\"order_tax\"(numeric, character varying)")]
    [InlineData(StatementKind.FunctionReplace, "DROP PROCEDURE IF EXISTS \"public\".\"zero\"(bigint)")]
    [InlineData(StatementKind.DomainAlter, "ALTER DOMAIN \"public\".\"email\" DROP DEFAULT")]
    [InlineData(StatementKind.DomainAlter, "ALTER DOMAIN \"public\".\"email\" DROP NOT NULL")]
    [InlineData(StatementKind.DomainAlter, "ALTER DOMAIN \"public\".\"email\" DROP CONSTRAINT IF EXISTS \"email_check\"")]
    [InlineData(StatementKind.DomainCheckReplace,
        "DO $knowitall$ BEGIN\n  ALTER DOMAIN \"public\".\"email\" DROP CONSTRAINT IF EXISTS \"c\";\n  ALTER DOMAIN \"public\".\"email\" RENAME " +
        "CONSTRAINT \"c_knowitall_new\" TO \"c\";\nEND $knowitall$")]
    [InlineData(StatementKind.TriggerState, "ALTER TABLE \"public\".\"docs\" DISABLE TRIGGER \"docs_updated\"")]
    public void Lets_replacement_kinds_drop_and_rename_the_object_they_replace(StatementKind kind, string sql)
    {
        Assert.False(Planner.Refuses(kind, sql));
        // The same text as any other kind of statement is refused.
        Assert.True(Planner.Refuses(StatementKind.Index, sql));
    }

    [Theory]
    [InlineData(StatementKind.ViewReplace, "DROP VIEW IF EXISTS \"public\".\"v\" CASCADE")]
    [InlineData(StatementKind.ConstraintReplace, "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT \"users_pkey\" CASCADE")]
    [InlineData(StatementKind.IndexReplace, "DROP TABLE \"public\".\"users\"")]
    [InlineData(StatementKind.ConstraintReplace, "DO $x$ BEGIN ALTER TABLE \"public\".\"users\" DROP COLUMN \"email\"; END $x$")]
    [InlineData(StatementKind.ViewReplace, "ALTER TABLE \"public\".\"users\" RENAME TO \"people\"")]
    [InlineData(StatementKind.FunctionReplace, "DROP FUNCTION IF EXISTS \"public\".\"f\"(numeric) CASCADE")]
    [InlineData(StatementKind.FunctionReplace, "DROP FUNCTION IF EXISTS \"public\".\"f\"(numeric); DROP TABLE \"public\".\"users\"")]
    [InlineData(StatementKind.FunctionReplace, "DROP TABLE \"public\".\"users\"")]
    [InlineData(StatementKind.PolicyReplace, "TRUNCATE \"public\".\"users\"")]
    [InlineData(StatementKind.TriggerReplace, "DELETE FROM \"public\".\"users\"")]
    [InlineData(StatementKind.DomainAlter, "ALTER DOMAIN \"public\".\"email\" DROP CONSTRAINT \"email_check\" CASCADE")]
    [InlineData(StatementKind.DomainAlter, "DROP DOMAIN \"public\".\"email\" CASCADE")]
    [InlineData(StatementKind.DomainCheckReplace,
        "DO $x$ BEGIN ALTER DOMAIN \"public\".\"email\" DROP NOT NULL; DROP TABLE \"public\".\"users\"; END $x$")]
    [InlineData(StatementKind.TriggerState, "ALTER TABLE \"public\".\"docs\" DISABLE TRIGGER ALL")]
    [InlineData(StatementKind.TriggerState, "ALTER TABLE \"public\".\"docs\" DISABLE TRIGGER \"t\"; DROP TABLE \"public\".\"docs\"")]
    public void Refuses_data_loss_and_cascades_even_in_replacements(StatementKind kind, string sql) => Assert.True(Planner.Refuses(kind, sql));

    [Fact]
    public void Lets_a_grant_give_the_truncate_privilege_but_not_truncate()
    {
        const string Grant = "GRANT REFERENCES, TRIGGER, TRUNCATE ON TABLE \"public\".\"orders\" TO \"tutor_app\"";
        Assert.False(Planner.Refuses(StatementKind.Grant, Grant));
        Assert.True(Planner.Refuses(StatementKind.Index, Grant));
        Assert.True(Planner.Refuses(StatementKind.Grant, Grant + "; TRUNCATE \"public\".\"orders\""));
    }
}
