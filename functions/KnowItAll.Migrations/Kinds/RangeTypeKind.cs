using KnowItAll.Migrations.Catalog;
using System.Text.RegularExpressions;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;
using Npgsql;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Kinds;

/// <summary>
/// Range types (CREATE TYPE ... AS RANGE), the first kind declared whole in its own file: its catalog query, model, comparison,
/// plan and statement form are all here. A missing one is created with its multirange type; PostgreSQL cannot alter one, so a
/// range type whose definition differs is blocking (the columns of the old type keep their values), and one schema/ no longer
/// names is drift.
/// </summary>
internal sealed partial class RangeTypeKind : ObjectKind
{
    private const string Kind = "range_type";

    public override string Name => Kind;

    public override IReadOnlyList<string> ModelLists { get; } = [nameof(SchemaModel.RangeTypes)];

    // The options PostgreSQL would not choose by itself: an operator class other than the subtype's default, a collation other
    // than its own. Function names print qualified when outside pg_catalog (the read runs with search_path = pg_catalog).
    private const string Query = """
        SELECT t.typname::text, format_type(r.rngsubtype, NULL),
               CASE WHEN NOT opc.opcdefault THEN quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname) END,
               CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation
                    THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END,
               CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END,
               CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END,
               CASE WHEN mt.typnamespace = t.typnamespace THEN quote_ident(mt.typname) ELSE format_type(mt.oid, NULL) END
        FROM pg_range r
        JOIN pg_type t ON t.oid = r.rngtypid
        JOIN pg_namespace n ON n.oid = t.typnamespace
        JOIN pg_type st ON st.oid = r.rngsubtype
        JOIN pg_type mt ON mt.oid = r.rngmultitypid
        JOIN pg_opclass opc ON opc.oid = r.rngsubopc
        JOIN pg_namespace opn ON opn.oid = opc.opcnamespace
        LEFT JOIN pg_collation co ON co.oid = r.rngcollation
        LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
        WHERE n.nspname = $1
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
        ORDER BY t.oid
        """;

    public override IReadOnlyList<CatalogQuery> Catalog { get; } =
        [CatalogQuery.Of(Query, false, ReadAsync, (m, v) => m with { RangeTypes = v }, [CatalogCensus.RangeTypes])];

    private static async Task<List<RangeTypeModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        var ranges = new List<RangeTypeModel>();
        while (await reader.ReadAsync(ct))
            ranges.Add(new RangeTypeModel(reader.GetString(0), reader.GetString(1), Text(2), Text(3), Text(4), Text(5), reader.GetString(6)));
        return ranges;
    }

    public override void WriteCanonical(SchemaModel model, TextWriter text)
    {
        foreach (var r in model.RangeTypes.OrderBy(r => r.Name, StringComparer.Ordinal))
            KindRegistry.Line(text, "range ", r.Name + " " + r.Options());
    }

    public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) => model with
    {
        RangeTypes = model.RangeTypes.Select(r => r with
        {
            Subtype = rename(r.Subtype),
            SubtypeOpClass = r.SubtypeOpClass is null ? null : rename(r.SubtypeOpClass),
            CanonicalFunction = r.CanonicalFunction is null ? null : rename(r.CanonicalFunction),
            SubtypeDiff = r.SubtypeDiff is null ? null : rename(r.SubtypeDiff),
        }).ToList(),
    };

    public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var c = KeyedComparison<RangeTypeModel>.Of(desired.RangeTypes, live.RangeTypes, r => r.Name);
        var missing = diff.KindState<List<RangeTypeModel>>(Name);
        foreach (var r in c.Missing) diff.Status(Name, r.Name, ObjectStatus.Missing);
        missing.AddRange(c.Missing);
        foreach (var (d, l) in c.Matched)
        {
            if (d.Options() == l.Options())
            {
                diff.Status(Name, d.Name, ObjectStatus.Present);
                continue;
            }
            var why = $"range type {d.Name} is ({l.Options()}), schema/ says ({d.Options()}): PostgreSQL cannot alter a range type, and " +
                "dropping it would drop the columns of that type. Create a new range type under another name and move the columns to it";
            diff.Status(Name, d.Name, ObjectStatus.Different, why);
            diff.Drift.Add(new DriftItem(Name, d.Name, "definition differs and cannot be altered", l.Options(), d.Options()));
            diff.Uncarryable.Add(new Uncarryable(Obstacle.TypeNotAlterable, d.Name, why));
        }
        diff.NotInSchema(Name, c.Extra, r => r.Name, r => r.Options());
    }

    // A range type is built from its subtype (a base type, an enum, a domain) and used by composite types, functions and tables.
    public override IReadOnlyList<string> PlannedAfter { get; } = ["extension", "enum", "domain"];

    public override IReadOnlyList<PlanStep> Steps { get; } = [new("create", Plan)];

    private static void Plan(PlanBuilder b)
    {
        foreach (var r in b.Diff.KindState<List<RangeTypeModel>>(Kind))
        {
            // Its subtype may be a domain or enum of a managed schema, its subtype difference a function of one: those come first.
            b.Add(StatementKind.RangeType, r.Name, $"CREATE TYPE {b.Q(r.Name)} AS RANGE ({r.Options()})", LockLevel.None,
                creates: ObjectKeys.Type(b.Schema, r.Name), needs: b.Named(r.Subtype, r.SubtypeDiff is null ? null : r.SubtypeDiff + "(",
                    r.CanonicalFunction is null ? null : r.CanonicalFunction + "("));
            b.Other.Add($"range type {r.Name}");
        }
    }

    // Before the composite type's catch-all CREATE TYPE form in the registry.
    public override IReadOnlyList<StatementForm> Forms { get; } = [new("CREATE TYPE ... AS RANGE", RangeStart(), _ => null)];

    [GeneratedRegex(@"^CREATE TYPE (""[^""]+""|\S+) AS RANGE ?\(")]
    private static partial Regex RangeStart();

    // DROP TYPE and ALTER TYPE ... RENAME TO name a range type as they name the other types.
    public override IReadOnlyList<DeclarationForm> Declarations { get; } =
    [
        new("type", (m, d) => (m.RangeTypes.Any(r => r.Name == d.Name), d.NewName is not null && m.RangeTypes.Any(r => r.Name == d.NewName)),
            (m, d) => LiveRename.Type(m with { RangeTypes = m.RangeTypes.Select(r => r.Name == d.Name ? r with { Name = d.NewName! } : r).ToList() },
                d)),
    ];

    public override IEnumerable<NamedObject> Named(SchemaModel model) =>
        model.RangeTypes.Select(r => new NamedObject(NameSpace.Type, r.Name, ObjectKeys.Type(model.Schema, r.Name)));

    // The plan's proof copies every live range type, whatever the plan names.
    public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy) { }

    public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) => model;

    public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; } = [(StatementKind.RangeType, InitFile.Types)];

    public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; } = [PrivilegeCheck.Type];

    // The owners' catalog read does not read range types: schema/ states no owner of one.
    public override Ownership? Owned => null;

    public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
}

/// <summary>
/// A range type. <see cref="Subtype"/> is format_type of the subtype; the other options are set only where they are not what
/// PostgreSQL would choose (function and operator class names qualified outside pg_catalog); <see cref="Multirange"/> is the name of
/// its multirange type.
/// </summary>
public sealed record RangeTypeModel(string Name, string Subtype, string? SubtypeOpClass, string? Collation, string? CanonicalFunction,
    string? SubtypeDiff, string Multirange)
{
    /// <summary>The options of CREATE TYPE ... AS RANGE (...) that make this type.</summary>
    public string Options() =>
        $"SUBTYPE = {Subtype}" + (SubtypeOpClass is null ? "" : $", SUBTYPE_OPCLASS = {SubtypeOpClass}")
        + (Collation is null ? "" : $", COLLATION = {Collation}") + (CanonicalFunction is null ? "" : $", CANONICAL = {CanonicalFunction}")
        + (SubtypeDiff is null ? "" : $", SUBTYPE_DIFF = {SubtypeDiff}") + $", MULTIRANGE_TYPE_NAME = {Multirange}";
}
