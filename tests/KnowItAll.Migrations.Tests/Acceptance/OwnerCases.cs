using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Owners schema/ states (issue 18): set on the objects a plan creates, changed on existing ones (a table with rows and its
/// serial sequence, a view, a function, a type, a domain and the schema), as pg_dump writes the statements. An owner schema/
/// does not state, and a role that does not exist, are in <see cref="OwnerTests"/> (neither has a plan to apply).
/// </summary>
public static class OwnerCases
{
    /// <summary>A second role besides tutor_app; roles belong to the cluster, and the shards may create it at once.</summary>
    internal const string Role =
        "DO $$ BEGIN CREATE ROLE knowitall_owner_b; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;";

    private const string Books =
        "CREATE TABLE books (id bigserial PRIMARY KEY, title text NOT NULL); CREATE VIEW book_titles AS SELECT title FROM books; " +
        "CREATE FUNCTION book_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM books $$; " +
        "CREATE TYPE shelf AS ENUM ('top', 'bottom'); CREATE DOMAIN isbn AS text CHECK (length(VALUE) = 13);";

    private const string SeedBooks = "INSERT INTO books (title) SELECT 'book ' || g FROM generate_series(1, 300) g;";

    private static string Owned(string role) =>
        $"ALTER TABLE public.books OWNER TO {role}; ALTER TABLE public.books_id_seq OWNER TO {role}; " +
        $"ALTER TABLE public.book_titles OWNER TO {role}; ALTER FUNCTION public.book_count() OWNER TO {role}; " +
        $"ALTER TYPE public.shelf OWNER TO {role}; ALTER DOMAIN public.isbn OWNER TO {role};";

    public static IEnumerable<AcceptanceCase> All()
    {
        yield return new("owner: stated for the objects a plan creates", Role, Books + Owned("tutor_app"),
            Sql: ["ALTER TABLE public.books OWNER TO \"tutor_app\"", "ALTER FUNCTION public.book_count() OWNER TO \"tutor_app\""])
        {
            Checks = ["SELECT pg_get_userbyid(relowner) = 'tutor_app' FROM pg_class WHERE relname = 'books_id_seq'"],
        };
        yield return new("owner: changed on a table with rows, its serial sequence, a view, a function, a type, a domain and the schema",
            Role + Books + Owned("tutor_app"), Books + Owned("knowitall_owner_b") + " ALTER SCHEMA public OWNER TO knowitall_owner_b;", SeedBooks,
            [H.AccessExclusiveLock],
            ["ALTER TABLE public.books OWNER TO \"knowitall_owner_b\"", "ALTER SEQUENCE public.books_id_seq OWNER TO \"knowitall_owner_b\"",
                "ALTER VIEW public.book_titles OWNER TO \"knowitall_owner_b\"", "ALTER TYPE public.shelf OWNER TO \"knowitall_owner_b\"",
                "ALTER DOMAIN public.isbn OWNER TO \"knowitall_owner_b\"", "ALTER SCHEMA public OWNER TO \"knowitall_owner_b\""])
        {
            Checks =
            [
                "SELECT count(*) = 300 FROM books",
                "SELECT nspowner::regrole::text = 'knowitall_owner_b' FROM pg_namespace WHERE nspname = 'public'",
            ],
        };
        yield return new("owner: a replaced view gets its stated owner again", Role + Books + "ALTER VIEW book_titles OWNER TO tutor_app;",
            Books.Replace("SELECT title FROM", "SELECT id FROM", StringComparison.Ordinal) + "ALTER TABLE public.book_titles OWNER TO tutor_app;",
            SeedBooks, [H.AccessExclusiveLock, H.ObjectReplaced], ["ALTER VIEW public.book_titles OWNER TO \"tutor_app\""]);
    }
}
