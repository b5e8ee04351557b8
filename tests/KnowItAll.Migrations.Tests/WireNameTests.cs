using System.Text.Json;
using KnowItAll.Migrations.Json;
using KnowItAll.Migrations.Planning;
using KnowItAll.Migrations.Reporting;

namespace KnowItAll.Migrations.Tests;

/// <summary>Closed sets are enums in code and keep their wire names everywhere: engine JSON, digests, reports.</summary>
public sealed class WireNameTests
{
    [Fact]
    public void Kinds_locks_and_hazard_codes_keep_their_wire_names_in_json_and_digests()
    {
        var statement = new PlannedStatement(1, StatementKind.SequenceOwner, "s", "ALTER SEQUENCE s OWNED BY t.id", LockLevel.ShareUpdateExclusive,
            false,
            [new Hazard(HazardCode.ForeignKeyValidation, "scans")]);
        var json = JsonSerializer.Serialize(statement, MigrationJsonContext.Default.PlannedStatement);
        Assert.Contains("\"kind\":\"sequence_owner\"", json);
        Assert.Contains("\"lock\":\"SHARE UPDATE EXCLUSIVE\"", json);
        Assert.Contains("\"code\":\"FK_VALIDATION_SCAN\"", json);
        Assert.Equal(statement,
            JsonSerializer.Deserialize(json, MigrationJsonContext.Default.PlannedStatement)! with { Hazards = statement.Hazards });

        var digest = DigestBuilder.Of(statement);
        Assert.Equal("sequence_owner", digest.Kind);
        Assert.Equal("SHARE UPDATE EXCLUSIVE", digest.Lock);
        Assert.Equal(["FK_VALIDATION_SCAN"], digest.Hazards);

        // Every value has its own wire name in the closed style of its set (never the C# member name).
        foreach (var kind in Enum.GetValues<StatementKind>()) Assert.Matches("^[a-z_]+$", kind.ToWire());
        foreach (var level in Enum.GetValues<LockLevel>()) Assert.Matches("^[A-Z ]+$", level.ToWire());
        foreach (var code in Enum.GetValues<HazardCode>()) Assert.Matches("^[A-Z_]+$", code.ToWire());
        Assert.Equal(Enum.GetValues<StatementKind>().Length, Enum.GetValues<StatementKind>().Select(k => k.ToWire()).Distinct().Count());
    }

    [Fact]
    public void A_plan_digest_carries_its_blocking_hazards_by_wire_code()
    {
        var plan = new MigrationPlan(false, "public", new string('a', 64), "f", "d", [], PlanSummary.Empty, [], 0)
        {
            Blocking = [new Hazard(HazardCode.ViewNotReplaceable, "view v changed its columns", "v")],
        };
        var digest = DigestBuilder.Of(plan, null);
        Assert.Equal(1, digest.BlockingCount);
        Assert.Equal("VIEW_NOT_REPLACEABLE", Assert.Single(digest.Blocking).Code);
        Assert.Contains("\"blocking_count\":1", JsonSerializer.Serialize(digest, ReportJsonContext.Default.PlanDigest));
    }
}
