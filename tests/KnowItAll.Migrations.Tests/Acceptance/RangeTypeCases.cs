using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Range types (issue 18), a kind declared whole in one file (Kinds/RangeTypeKind.cs): created with their options and
/// multirange type, before the enums' ranges, tables and functions that use them; one that differs is blocking, one schema/ no
/// longer names is drift.
/// </summary>
public static class RangeTypeCases
{
    private const string FloatRange = "CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);";

    public static IEnumerable<AcceptanceCase> All()
    {
        yield return new("range: created with its subtype difference and used by a new table", "",
            FloatRange + " CREATE TABLE readings (id int PRIMARY KEY, span floatrange);",
            Sql: ["CREATE TYPE \"public\".\"floatrange\" AS RANGE (SUBTYPE = double precision, SUBTYPE_DIFF = float8mi, " +
                "MULTIRANGE_TYPE_NAME = floatmultirange)"]);
        yield return new("range: a column of a new range type added to a table with rows",
            "CREATE TABLE readings (id int PRIMARY KEY);",
            FloatRange + " CREATE TABLE readings (id int PRIMARY KEY, span floatrange);",
            "INSERT INTO readings SELECT g FROM generate_series(1, 200) g;", Hazards: [H.AccessExclusiveLock])
        { Checks = ["SELECT count(*) = 200 FROM readings"] };
        yield return new("range: over an enum of the schema, with a collation on text and a multirange name of its own", "",
            "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE TYPE moodrange AS RANGE (subtype = mood); " +
            "CREATE TYPE namerange AS RANGE (subtype = text, collation = \"C\", multirange_type_name = names); " +
            "CREATE TABLE moods (id int PRIMARY KEY, span moodrange, names namerange);");
        yield return new("range: a subtype difference function of the schema is created before the type, the table after it", "",
            "CREATE FUNCTION time_subtype_diff(x time, y time) RETURNS float8 LANGUAGE sql STRICT IMMUTABLE AS " +
            "'SELECT EXTRACT(EPOCH FROM (x - y))'; CREATE TYPE timerange AS RANGE (subtype = time, subtype_diff = time_subtype_diff); " +
            "CREATE TABLE shifts (id int PRIMARY KEY, during timerange);",
            Sql: ["SUBTYPE_DIFF = public.time_subtype_diff"]);
        yield return new("range: a function of a range type argument is created after the type", "",
            FloatRange + " CREATE FUNCTION width(r floatrange) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT upper(r) - lower(r)';");
        yield return new("range: a range type whose options differ is blocking and changes nothing",
            "CREATE TYPE floatrange AS RANGE (subtype = float8); CREATE TABLE readings (id int PRIMARY KEY, span floatrange);",
            FloatRange + " CREATE TABLE readings (id int PRIMARY KEY, span floatrange);",
            "INSERT INTO readings VALUES (1, '[1,2)');",
            Hazards: [H.TypeChangeRefused], Blocked: true)
        { Checks = ["SELECT span = '[1,2)'::floatrange FROM readings WHERE id = 1"] };
        yield return new("range: DROP TYPE declared removes it", FloatRange, FloatRange + " DROP TYPE floatrange;",
            Sql: ["DROP TYPE IF EXISTS \"public\".\"floatrange\""])
        { Checks = ["SELECT to_regtype('public.floatrange') IS NULL AND to_regtype('public.floatmultirange') IS NULL"] };
        yield return new("range: ALTER TYPE RENAME TO keeps the column's values",
            FloatRange + " CREATE TABLE readings (id int PRIMARY KEY, span floatrange);",
            FloatRange + " CREATE TABLE readings (id int PRIMARY KEY, span floatrange); ALTER TYPE floatrange RENAME TO spanrange;",
            "INSERT INTO readings VALUES (1, '[1,2)');", Hazards: [H.RenameBreaksOldName])
        { Checks = ["SELECT span = '[1,2)'::spanrange FROM readings WHERE id = 1"] };
        yield return new("range: a range type schema/ no longer names is drift, never dropped",
            FloatRange + " CREATE TABLE readings (id int PRIMARY KEY);",
            "CREATE TABLE readings (id int PRIMARY KEY);", Drift: true)
        { Checks = ["SELECT count(*) = 1 FROM pg_type WHERE typname = 'floatrange'"] };
    }
}
