using KnowItAll.Migrations.Desired;

namespace KnowItAll.Migrations.Tests;

/// <summary>Names qualified with a managed schema point at its scratch schema; data, comments and extension objects do not move.</summary>
public sealed class QualifiedNamesTests
{
    private static readonly QualifiedNames Names = new(new Dictionary<string, string> { ["public"] = "scratch_1", ["billing"] = "scratch_2" },
        new HashSet<string> { "public.citext", "public.gin_trgm_ops" });

    [Theory]
    [InlineData("CREATE TABLE public.users (id int)", "CREATE TABLE scratch_1.users (id int)")]
    [InlineData("CREATE TABLE \"public\".\"Order Lines\" (id int)", "CREATE TABLE scratch_1.\"Order Lines\" (id int)")]
    [InlineData("ALTER TABLE ONLY Public.users ADD CONSTRAINT k UNIQUE (id)", "ALTER TABLE ONLY scratch_1.users ADD CONSTRAINT k UNIQUE (id)")]
    [InlineData("CREATE TABLE \"Public\".t (id int)", "CREATE TABLE \"Public\".t (id int)")]
    [InlineData("DEFAULT nextval('public.seq'::regclass)", "DEFAULT nextval('scratch_1.seq'::regclass)")]
    [InlineData("DEFAULT nextval('public.seq')", "DEFAULT nextval('scratch_1.seq')")]
    [InlineData("DEFAULT nextval('billing.seq')", "DEFAULT nextval('scratch_2.seq')")]
    [InlineData("COMMENT ON TABLE public.t IS 'see public.users'", "COMMENT ON TABLE scratch_1.t IS 'see public.users'")]
    [InlineData("CREATE TYPE public.k AS ENUM ('public.a')", "CREATE TYPE scratch_1.k AS ENUM ('public.a')")]
    [InlineData("CREATE TABLE t (email public.citext) -- public.users", "CREATE TABLE t (email public.citext) -- public.users")]
    [InlineData("CREATE INDEX i ON public.t USING gin (title public.gin_trgm_ops) /* public.x */",
        "CREATE INDEX i ON scratch_1.t USING gin (title public.gin_trgm_ops) /* public.x */")]
    [InlineData("CREATE FUNCTION public.f() RETURNS bigint LANGUAGE sql AS $f$SELECT count(*) FROM public.users$f$",
        "CREATE FUNCTION scratch_1.f() RETURNS bigint LANGUAGE sql AS $f$SELECT count(*) FROM scratch_1.users$f$")]
    [InlineData("SELECT t.public FROM public.t", "SELECT t.public FROM scratch_1.t")]
    [InlineData("SELECT mypublic.x, public_x.y FROM other.public", "SELECT mypublic.x, public_x.y FROM other.public")]
    public void Rewrites_only_references_to_managed_objects(string sql, string expected) => Assert.Equal(expected, Names.ToScratch(sql));
}
