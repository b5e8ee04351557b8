using H = KnowItAll.Migrations.Planning.HazardCode;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// Table inheritance (issue 18): a child is created with INHERITS after its parents, with its own columns only (those it
/// inherits come and change with the parent); a column or check added to a parent with rows in its child reaches the
/// child; a child's own key; a second parent's child; a parent a child stops naming is drift, never detached.
/// </summary>
public static class InheritanceCases
{
    private const string Vehicles = "CREATE TABLE vehicles (id int PRIMARY KEY, make text NOT NULL); ";
    private const string Cars = "CREATE TABLE cars (doors int) INHERITS (vehicles); ";
    private const string SeedCars = "INSERT INTO cars (id, make, doors) SELECT g, 'make ' || g, 4 FROM generate_series(1, 300) g;";

    public static IEnumerable<AcceptanceCase> All()
    {
        yield return new("inheritance: children created after their parent (a child's name sorts before it)", "",
            Vehicles + Cars + "CREATE TABLE bikes (gears int NOT NULL DEFAULT 1) INHERITS (vehicles); ",
            Sql: ["INHERITS (\"public\".vehicles)"]);
        yield return new("inheritance: a column added to a parent whose child has rows", Vehicles + Cars,
            Vehicles.Replace("make text NOT NULL", "make text NOT NULL, year int", StringComparison.Ordinal) + Cars, SeedCars,
            [H.AccessExclusiveLock], ["ALTER TABLE \"public\".\"vehicles\" ADD COLUMN IF NOT EXISTS \"year\" integer"])
        { Checks = ["SELECT count(*) = 300 FROM cars", "SELECT count(*) = 300 FROM vehicles"] };
        yield return new("inheritance: a check added to a parent whose child has rows", Vehicles + Cars,
            Vehicles + Cars + "ALTER TABLE vehicles ADD CONSTRAINT vehicles_make_nonempty CHECK (make <> '');", SeedCars,
            [H.AccessExclusiveLock, H.CheckValidation], ["vehicles_make_nonempty"])
        { Checks = ["SELECT count(*) = 1 FROM pg_constraint WHERE conname = 'vehicles_make_nonempty' AND conrelid = 'cars'::regclass"] };
        yield return new("inheritance: a child's own primary key on an inherited column", Vehicles + Cars,
            Vehicles + Cars + "ALTER TABLE cars ADD PRIMARY KEY (id);", SeedCars, [H.AccessExclusiveLock, H.UniqueBuild]);
        yield return new("inheritance: a second child of a parent with rows", Vehicles + Cars,
            Vehicles + Cars + "CREATE TABLE trucks (payload_kg int) INHERITS (vehicles);", SeedCars,
            Sql: ["CREATE TABLE IF NOT EXISTS \"public\".\"trucks\""]);
        yield return new("inheritance: a parent the child no longer names is drift, the child keeps its rows", Vehicles + Cars,
            Vehicles + "CREATE TABLE cars (id int, make text NOT NULL, doors int);", SeedCars, Drift: true)
        { Checks = ["SELECT count(*) = 300 FROM vehicles"] };
    }
}
