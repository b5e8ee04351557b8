using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Generated columns on a table with rows (issue 18): made ordinary in place (DROP EXPRESSION keeps the stored values); an
/// expression changed, or an ordinary column made generated, is blocked, since PostgreSQL 15 has no in-place form.
/// </summary>
public static class GenerationCases
{
    private const string Generated =
        "CREATE TABLE rects (id int PRIMARY KEY, w numeric NOT NULL, h numeric NOT NULL, area numeric GENERATED ALWAYS AS (w * h) STORED);";

    private const string Plain = "CREATE TABLE rects (id int PRIMARY KEY, w numeric NOT NULL, h numeric NOT NULL, area numeric);";

    private const string Seed = "INSERT INTO rects (id, w, h) SELECT g, g, g + 1 FROM generate_series(1, 100) g;";

    public static IEnumerable<AcceptanceCase> All()
    {
        yield return new("generated: column made ordinary keeps its stored values", Generated, Plain, Seed, [H.AccessExclusiveLock],
            ["ALTER TABLE \"public\".\"rects\" ALTER COLUMN \"area\" DROP EXPRESSION"])
        {
            Checks = ["SELECT count(*) = 100 FROM rects WHERE area = w * h"],
        };
        yield return new("generated: expression changed is blocked", Generated,
            Generated.Replace("(w * h)", "(round(w * h, 2))", StringComparison.Ordinal), Seed, [H.GenerationNotAlterable], Blocked: true);
        yield return new("generated: ordinary column made generated is blocked", Plain, Generated,
            Seed.Replace("(id, w, h)", "(id, w, h, area)", StringComparison.Ordinal).Replace("g + 1 FROM", "g + 1, 7 FROM", StringComparison.Ordinal),
            [H.GenerationNotAlterable], Blocked: true);
    }
}
