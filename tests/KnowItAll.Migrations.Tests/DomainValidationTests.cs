using KnowItAll.Migrations.Desired;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// Validate compares every attribute of a domain and a composite type that the plan can change (missing, with what is
/// to change) or cannot (different, with the drift that says why); nothing is reported present while it differs.
/// </summary>
[Collection(PostgresParallelB.Name)]
public sealed class DomainValidationTests(PostgresFixture pg)
{
    public static TheoryData<string, string, string, string, ObjectState, string> Differences => new()
    {
        { "CREATE DOMAIN d AS text;", "CREATE DOMAIN d AS text DEFAULT 'x';", "domain", "d", ObjectState.Missing, "default 'x'::text" },
        { "CREATE DOMAIN d AS text DEFAULT 'x';", "CREATE DOMAIN d AS text;", "domain", "d", ObjectState.Missing, "default dropped" },
        { "CREATE DOMAIN d AS text;", "CREATE DOMAIN d AS text NOT NULL;", "domain", "d", ObjectState.Missing, "NOT NULL set" },
        { "CREATE DOMAIN d AS text NOT NULL;", "CREATE DOMAIN d AS text;", "domain", "d", ObjectState.Missing, "NOT NULL dropped" },
        { "CREATE DOMAIN d AS int;", "CREATE DOMAIN d AS int CONSTRAINT c CHECK (VALUE > 0);", "domain", "d", ObjectState.Missing, "check c added" },
        { "CREATE DOMAIN d AS int CONSTRAINT c CHECK (VALUE > 0);", "CREATE DOMAIN d AS int CONSTRAINT c CHECK (VALUE > 1);", "domain", "d",
            ObjectState.Missing, "check c changed" },
        { "CREATE DOMAIN d AS int CONSTRAINT c CHECK (VALUE > 0);", "CREATE DOMAIN d AS int;", "domain", "d", ObjectState.Missing,
            "check c dropped" },
        { "CREATE DOMAIN d AS int; ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;",
            "CREATE DOMAIN d AS int CONSTRAINT c CHECK (VALUE > 0);", "domain", "d", ObjectState.Missing, "check c validated" },
        { "CREATE DOMAIN d AS int;", "CREATE DOMAIN d AS bigint;", "domain", "d", ObjectState.Different, "base type differs" },
        { "CREATE DOMAIN d AS text;", "CREATE DOMAIN d AS text COLLATE \"C\";", "domain", "d", ObjectState.Different, "collation differs" },
        { "CREATE TYPE t AS (a int);", "CREATE TYPE t AS (a int, b text);", "composite_type", "t", ObjectState.Missing, "attribute b added" },
        { "CREATE TYPE t AS (a int);", "CREATE TYPE t AS (a bigint);", "composite_type", "t", ObjectState.Missing, "attribute a becomes a bigint" },
        { "CREATE TYPE t AS (a text);", "CREATE TYPE t AS (a text COLLATE \"C\");", "composite_type", "t", ObjectState.Missing,
            "attribute a becomes a text collate C" },
        { "CREATE TYPE t AS (a int, b int);", "CREATE TYPE t AS (b int, a int);", "composite_type", "t", ObjectState.Different, "another order" },
        { "CREATE TYPE t AS (a int, b int);", "CREATE TYPE t AS (a int);", "composite_type", "t", ObjectState.Different,
            "attributes not in schema/ (never removed): b" },
        { "CREATE TYPE t AS (a int); CREATE TABLE u (id int, v t);", "CREATE TYPE t AS (a int, b int); CREATE TABLE u (id int, v t);",
            "composite_type", "t", ObjectState.Different, "u.v uses it" },
    };

    [Theory]
    [MemberData(nameof(Differences))]
    public async Task Validate_reports_each_attribute_that_differs(string live, string desired, string kind, string name, ObjectState state,
        string said)
    {
        var db = await pg.NewDatabaseAsync();
        await PostgresFixture.ExecuteAsync(db, live);
        var validation = await Engines.For(db, SchemaSource.FromFiles(new SchemaFile("schema/types.sql", desired))).ValidateAsync();

        var status = Assert.Single(validation.Objects, o => o.Kind == kind && o.Name == name);
        Assert.Equal(state, status.Status);
        Assert.Equal(state != ObjectState.Missing, validation.SchemaValid);
        var told = string.Join(" | ", validation.Drift.Where(d => d.Name == name).Select(d => d.Reason).Prepend(status.Detail ?? ""));
        Assert.Contains(said, told);
    }

    [Fact]
    public async Task A_domain_or_composite_type_schema_no_longer_names_is_drift_and_equal_ones_are_present()
    {
        var db = await pg.NewDatabaseAsync();
        const string Kept = "CREATE DOMAIN d AS int NOT NULL DEFAULT 1 CHECK (VALUE > 0); CREATE TYPE t AS (a int, b text COLLATE \"C\");";
        await PostgresFixture.ExecuteAsync(db, Kept + "CREATE DOMAIN gone AS text; CREATE TYPE gone_t AS (x int);");
        var validation = await Engines.For(db, SchemaSource.FromFiles(new SchemaFile("schema/types.sql", Kept))).ValidateAsync();

        Assert.True(validation.SchemaValid, string.Join(", ", validation.Missing.Select(m => $"{m.Kind} {m.Name} {m.Detail}")));
        Assert.Equal(ObjectState.Present, Assert.Single(validation.Objects, o => o.Kind == "domain" && o.Name == "d").Status);
        Assert.Equal(ObjectState.Present, Assert.Single(validation.Objects, o => o.Kind == "composite_type" && o.Name == "t").Status);
        Assert.Contains(validation.Drift, x => x is { Kind: "domain", Name: "gone", Reason: "not in schema/" });
        Assert.Contains(validation.Drift, x => x is { Kind: "composite_type", Name: "gone_t", Reason: "not in schema/" });
    }
}
