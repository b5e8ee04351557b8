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
    public void Recognises_destructive_statements(string sql) => Assert.True(Planner.IsDestructive(sql));

    [Theory]
    [InlineData("ALTER TABLE \"public\".\"a\" ADD CONSTRAINT \"fk\" FOREIGN KEY (b) REFERENCES public.b(id) ON DELETE CASCADE")]
    [InlineData("CREATE TABLE IF NOT EXISTS \"public\".\"notes; DROP TABLE users; --\" (\"id\" integer)")]
    [InlineData("CREATE TABLE IF NOT EXISTS \"public\".\"t\" (\"note\" text DEFAULT 'DROP TABLE users'::text)")]
    [InlineData("ALTER TABLE \"public\".\"users\" ADD COLUMN IF NOT EXISTS \"kind\" text")]
    [InlineData("GRANT SELECT, UPDATE ON TABLE \"public\".\"users\" TO \"tutor_app\"")]
    public void Leaves_additive_statements_alone(string sql) => Assert.False(Planner.IsDestructive(sql));
}
