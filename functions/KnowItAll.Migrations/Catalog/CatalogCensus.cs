namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Which of the kinds most schemas do not have at all the schema has (views, sequences, composite types, enums, domains, range
/// types, functions, triggers, policies): one cheap query in the read's snapshot before the kinds' queries. A kind's query that
/// names what it reads (<see cref="Kinds.CatalogQuery.RunsWhen"/>) is sent only when the census found some of it; otherwise an
/// empty statement takes its place. A catalog query costs the server its planning even when it finds nothing (a few
/// milliseconds each on a new backend, most of a small schema's read), so a schema without views plans no view query.
/// Each token says only that such objects exist in the schema; the kind's own query still decides which of them it reads.
/// </summary>
internal static class CatalogCensus
{
    public const string Views = "class:v";
    public const string MaterializedViews = "class:m";
    public const string CompositeTypes = "class:c";
    public const string Sequences = "class:S";
    public const string Enums = "type:e";
    public const string Domains = "type:d";
    public const string RangeTypes = "type:r";
    public const string Functions = "proc";
    public const string Triggers = "trigger";
    public const string Policies = "policy";

    /// <summary>Every token <see cref="Query"/> can return.</summary>
    public static readonly IReadOnlySet<string> Tokens = new HashSet<string>(StringComparer.Ordinal)
    {
        Views, MaterializedViews, CompositeTypes, Sequences, Enums, Domains, RangeTypes, Functions, Triggers, Policies,
    };

    /// <summary>The tokens present in schema $1 (no row when the schema does not exist: then nothing is).</summary>
    public const string Query = """
        SELECT ARRAY(SELECT DISTINCT 'class:' || c.relkind::text FROM pg_class c
                     WHERE c.relnamespace = n.oid AND c.relkind IN ('v', 'm', 'c', 'S'))
            || ARRAY(SELECT DISTINCT 'type:' || t.typtype::text FROM pg_type t WHERE t.typnamespace = n.oid AND t.typtype IN ('e', 'd', 'r'))
            || CASE WHEN EXISTS (SELECT FROM pg_proc p WHERE p.pronamespace = n.oid AND p.prokind IN ('f', 'p'))
                    THEN ARRAY['proc'] ELSE '{}' END
            || CASE WHEN EXISTS (SELECT FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
                                 WHERE c.relnamespace = n.oid AND NOT g.tgisinternal)
                    THEN ARRAY['trigger'] ELSE '{}' END
            || CASE WHEN EXISTS (SELECT FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = n.oid)
                    THEN ARRAY['policy'] ELSE '{}' END
        FROM pg_namespace n
        WHERE n.nspname = $1
        """;

    /// <summary>What takes the place of a query whose objects the census did not find: no rows (its reader then reads none).</summary>
    public const string Skipped = "SELECT NULL WHERE false";
}
