using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Materialized views schema/ creates WITH NO DATA (issue 18; pg_dump writes every one that way): created empty, without
/// running the query over tables with rows, also when a changed one is created again; whether one is populated is never
/// compared, so a REFRESH afterwards is not drift.
/// </summary>
public static class NoDataCases
{
    private const string Orders = "CREATE TABLE orders (id int PRIMARY KEY, total numeric NOT NULL, placed_at timestamptz NOT NULL DEFAULT now()); ";
    private const string Seed = "INSERT INTO orders SELECT g, g, now() FROM generate_series(1, 300) g;";

    private const string Daily =
        "CREATE MATERIALIZED VIEW daily_sales AS SELECT date_trunc('day', placed_at) AS day, sum(total) AS total FROM orders GROUP BY 1 " +
        "WITH NO DATA;";

    private const string Empty = "SELECT NOT relispopulated FROM pg_class WHERE oid = 'daily_sales'::regclass";

    public static IEnumerable<AcceptanceCase> All()
    {
        yield return new("matview: created WITH NO DATA over a table with rows", Orders, Orders + Daily, Seed, Sql: ["\nWITH NO DATA"])
        { Checks = [Empty] };
        yield return new("matview: a populated one changed is created again WITH NO DATA",
            Orders + Daily.Replace(" WITH NO DATA", "", StringComparison.Ordinal),
            Orders + Daily.Replace("sum(total) AS total", "sum(total) AS total, count(*) AS orders", StringComparison.Ordinal), Seed,
            [H.AccessExclusiveLock, H.ObjectReplaced], ["\nWITH NO DATA"])
        { Checks = [Empty] };
    }
}
