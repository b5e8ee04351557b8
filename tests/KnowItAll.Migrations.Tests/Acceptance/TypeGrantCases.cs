namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Privileges on types (issue 18): USAGE on an enum, a domain, a composite or a range type granted as schema/ says; PUBLIC's
/// default USAGE revoked when schema/ declares it, and drift when only the database revoked it.
/// </summary>
public static class TypeGrantCases
{
    private const string Mood = "CREATE TYPE mood AS ENUM ('sad', 'ok');";

    private const string PublicUsage =
        "SELECT EXISTS (SELECT 1 FROM pg_type t, aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) a WHERE t.typname = 'mood' " +
        "AND a.grantee = 0)";

    public static IEnumerable<AcceptanceCase> All()
    {
        yield return new("grant: USAGE on an enum type", Mood, Mood + " GRANT USAGE ON TYPE mood TO tutor_app;",
            Sql: ["GRANT USAGE ON TYPE \"public\".\"mood\" TO \"tutor_app\""])
        { Checks = ["SELECT has_type_privilege('tutor_app', 'public.mood', 'USAGE')"] };
        yield return new("grant: USAGE on a domain with the grant option, written ON DOMAIN", "",
            "CREATE DOMAIN positive AS int CHECK (VALUE > 0); GRANT USAGE ON DOMAIN positive TO tutor_app WITH GRANT OPTION;",
            Sql: ["GRANT USAGE ON TYPE \"public\".\"positive\" TO \"tutor_app\" WITH GRANT OPTION"]);
        yield return new("grant: USAGE on a composite and a range type in one statement", "",
            "CREATE TYPE pair AS (a int, b int); CREATE TYPE floatrange AS RANGE (subtype = float8); " +
            "GRANT USAGE ON TYPE pair, floatrange TO tutor_app;");
        yield return new("grant: USAGE for PUBLIC revoked on a type", Mood,
            Mood + " REVOKE USAGE ON TYPE mood FROM PUBLIC; GRANT USAGE ON TYPE mood TO tutor_app;",
            Sql: ["REVOKE USAGE ON TYPE \"public\".\"mood\" FROM PUBLIC"])
        { Checks = ["SELECT NOT (" + PublicUsage + ")"] };
        yield return new("grant: USAGE for PUBLIC revoked on a type in the database only is drift",
            Mood + " REVOKE USAGE ON TYPE mood FROM PUBLIC; GRANT USAGE ON TYPE mood TO tutor_app;", Mood, Drift: true)
        { Checks = ["SELECT NOT (" + PublicUsage + ")", "SELECT has_type_privilege('tutor_app', 'public.mood', 'USAGE')"] };
    }
}
