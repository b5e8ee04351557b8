namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// A difference between pg_dump of a migrated database and of a direct load of the new DDL that the engine does not
/// carry yet: <see cref="Lines"/> is the exact normalised difference (SchemaDump.Diff), so the case fails as soon as
/// it changes, fixed or worse.
/// </summary>
public sealed record KnownDumpDifference(string Reason, string[] Lines);

/// <summary>The acceptance cases whose dump comparison is known to differ today, by case name (issue 18).</summary>
public static class KnownDumpDifferences
{
    public static IReadOnlyDictionary<string, KnownDumpDifference> All { get; } = new Dictionary<string, KnownDumpDifference>(StringComparer.Ordinal)
    {
        ["alter: nullable column of a primary key schema/ no longer declares stays drift"] = new(
            "the primary key schema/ left out stays as drift, and PostgreSQL keeps NOT NULL on a primary key column, so the column cannot become " +
            "nullable",
            ["- direct:       id integer"]),
        ["robust: a partition's own default and check beside its parent's"] = new(
            "a partition's own column default (m1's v DEFAULT 5) is neither read into the model nor created: the partition keeps its parent's " +
            "default",
            ["- direct:       v integer DEFAULT 5", "+ migrated:     v integer DEFAULT 0"]),
        ["grant: grant option not in schema/ is drift"] = new(
            "the grant option schema/ no longer declares stays as drift, and pg_dump prints it on the grant's own line",
            ["- direct:   GRANT SELECT ON TABLE public.users TO knowitall_other"]),
        ["inheritance: a parent the child no longer names is drift, the child keeps its rows"] = new(
            "the inheritance schema/ no longer declares stays as drift (never detached), so the child's columns stay inherited and pg_dump " +
            "prints them with the parent",
            ["- direct:       id integer", "- direct:       make text NOT NULL"]),
    };
}
