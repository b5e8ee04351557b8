using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// When a trigger fires (issue 18): ALTER TABLE … DISABLE / ENABLE [REPLICA | ALWAYS] TRIGGER name in schema/ is modelled,
/// compared and planned on a table with rows, set after the trigger is created or replaced (which makes it fire as created).
/// </summary>
public static class TriggerStateCases
{
    private const string Docs =
        "CREATE TABLE docs (id int PRIMARY KEY, body text, updated_at timestamptz); " +
        "CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$; " +
        "CREATE TRIGGER docs_updated BEFORE UPDATE ON docs FOR EACH ROW EXECUTE FUNCTION set_updated_at(); ";

    private const string Seed = "INSERT INTO docs SELECT g, 'doc ' || g FROM generate_series(1, 300) g;";

    private static string Fires(string expected) =>
        $"SELECT tgenabled = '{expected}' FROM pg_trigger WHERE tgrelid = 'docs'::regclass AND tgname = 'docs_updated'";

    public static IEnumerable<AcceptanceCase> All()
    {
        yield return new("trigger state: an existing trigger disabled on a table with rows", Docs,
            Docs + "ALTER TABLE docs DISABLE TRIGGER docs_updated;", Seed, [H.ShareRowExclusiveLock],
            ["ALTER TABLE \"public\".\"docs\" DISABLE TRIGGER \"docs_updated\""])
        { Checks = [Fires("D"), "SELECT count(*) = 300 FROM docs"] };
        yield return new("trigger state: a disabled trigger enabled again", Docs + "ALTER TABLE docs DISABLE TRIGGER docs_updated;", Docs, Seed,
            [H.ShareRowExclusiveLock], ["ALTER TABLE \"public\".\"docs\" ENABLE TRIGGER \"docs_updated\""])
        { Checks = [Fires("O")] };
        yield return new("trigger state: a new trigger created to fire always", "",
            Docs + "ALTER TABLE docs ENABLE ALWAYS TRIGGER docs_updated;",
            Sql: ["ALTER TABLE \"public\".\"docs\" ENABLE ALWAYS TRIGGER \"docs_updated\""])
        { Checks = [Fires("A")] };
        yield return new("trigger state: a changed trigger replaced stays on replicas only",
            Docs + "ALTER TABLE docs ENABLE REPLICA TRIGGER docs_updated;",
            Docs.Replace("BEFORE UPDATE ON docs", "BEFORE UPDATE OF body ON docs", StringComparison.Ordinal) +
            "ALTER TABLE docs ENABLE REPLICA TRIGGER docs_updated;", Seed, [H.ShareRowExclusiveLock],
            [
                "CREATE OR REPLACE TRIGGER docs_updated BEFORE UPDATE OF body",
                "ALTER TABLE \"public\".\"docs\" ENABLE REPLICA TRIGGER \"docs_updated\"",
            ])
        { Checks = [Fires("R")] };
    }
}
