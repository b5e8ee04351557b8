namespace KnowItAll.Migrations.Model;

public sealed record ExtensionModel(string Name, string Schema)
{
    /// <summary>The installed version (extversion); in a desired model only the one schema/ states (VERSION 'v'), null for any.</summary>
    public string? Version { get; init; }
}

public sealed record SequenceModel(string Name, string DataType, long Start, long Increment, long MinValue, long MaxValue, long Cache, bool Cycle,
    string? OwnedByTable, string? OwnedByColumn);

public sealed record ColumnModel(string Name, int Ordinal, string Type, bool NotNull, string? Default, char Identity, char Generated,
    string? Collation)
{
    /// <summary>The options of an identity column's own sequence; null for a column that is not an identity.</summary>
    public IdentityOptions? IdentityOptions { get; init; }
}

/// <summary>An identity sequence's options (pg_sequence); its data type is the column's.</summary>
public sealed record IdentityOptions(long Start, long Increment, long MinValue, long MaxValue, long Cache, bool Cycle)
{
    /// <summary>The options PostgreSQL gives an identity of <paramref name="type"/> that names none, to leave those out of the SQL.</summary>
    public static IdentityOptions Defaults(string type, long increment)
    {
        var (min, max) = type switch
        {
            "smallint" => ((long)short.MinValue, (long)short.MaxValue),
            "integer" => (int.MinValue, int.MaxValue),
            _ => (long.MinValue, long.MaxValue),
        };
        return increment > 0 ? new(1, increment, 1, max, 1, false) : new(-1, increment, min, -1, 1, false);
    }

    public override string ToString() =>
        $"start {Start} increment {Increment} minvalue {MinValue} maxvalue {MaxValue} cache {Cache}{(Cycle ? " cycle" : "")}";
}

/// <summary>
/// A table. <see cref="HasRows"/> is what the catalog's statistics say (relpages, reltuples): true for a table that has
/// or had rows. False means they call it empty, which a table filled since its last VACUUM or ANALYZE may not be: the
/// planner then asks its heap size, for the tables a change depends on only (<see cref="Catalog.CatalogReader.TableSizesAsync"/>).
/// </summary>
public sealed record TableModel(string Name, IReadOnlyList<ColumnModel> Columns, bool HasRows)
{
    /// <summary>'p' permanent, 'u' unlogged.</summary>
    public char Persistence { get; init; } = 'p';

    public bool RowSecurity { get; init; }

    public bool ForceRowSecurity { get; init; }

    /// <summary>Storage parameters as "name=value", sorted.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>The PARTITION BY clause of a partitioned table (pg_get_partkeydef).</summary>
    public string? PartitionKey { get; init; }

    /// <summary>The parent of a partition, and its FOR VALUES clause.</summary>
    public string? PartitionOf { get; init; }

    public string? PartitionBound { get; init; }

    /// <summary>
    /// The parents of an inheritance child (INHERITS), in order, each a quoted identifier, qualified when in another schema; its
    /// <see cref="Columns"/> are its own (local) ones.
    /// </summary>
    public IReadOnlyList<string> Inherits { get; init; } = [];

    /// <summary>REPLICA IDENTITY: 'd' default (the primary key), 'f' full, 'n' nothing, 'i' <see cref="ReplicaIdentityIndex"/>.</summary>
    public char ReplicaIdentity { get; init; } = 'd';

    public string? ReplicaIdentityIndex { get; init; }

    /// <summary>The REPLICA IDENTITY clause as written in ALTER TABLE.</summary>
    public string ReplicaIdentityClause() => ReplicaIdentity switch
    {
        'f' => "FULL",
        'n' => "NOTHING",
        'i' => ReplicaIdentityIndex is null ? "NOTHING" : "USING INDEX " + Identifier.Quote(ReplicaIdentityIndex),
        _ => "DEFAULT",
    };

    public string Describe() =>
        (Persistence == 'u' ? "unlogged " : "") + (RowSecurity ? "rls " : "") + (ForceRowSecurity ? "force-rls " : "")
        + (Options.Count > 0 ? $"with ({string.Join(", ", Options.Order(StringComparer.Ordinal))}) " : "")
        + (PartitionKey is null ? "" : $"partition by {PartitionKey} ")
        + (PartitionOf is null ? "" : $"partition of {PartitionOf} {PartitionBound}")
        + (Inherits.Count == 0 ? "" : $" inherits ({string.Join(", ", Inherits)})")
        + (ReplicaIdentity == 'd' ? "" : $" replica identity {ReplicaIdentityClause()}");
}

public sealed record IndexModel(string Name, string Table, string Definition, bool IsUnique, bool IsValid);

/// <summary>A constraint; <see cref="Definition"/> never carries "NOT VALID", <see cref="IsValidated"/> does.</summary>
public sealed record ConstraintModel(string Name, string Table, char Type, string Definition, string? ReferencedTable, bool IsValidated)
{
    public string TypeName => Type switch
    {
        'p' => "primary key",
        'u' => "unique",
        'f' => "foreign key",
        'c' => "check",
        'x' => "exclusion",
        _ => "constraint",
    };
}

/// <summary>One privilege held by a grantee, on a schema, table, column, sequence or function.</summary>
public sealed record PrivilegeModel(PrivilegeObjectKind ObjectKind, string ObjectName, string? Column, string Privilege, string Grantee)
{
    /// <summary>
    /// WITH GRANT OPTION. Not part of <see cref="Key"/>: the same privilege with and without the option is one privilege
    /// whose option differs (granting the option adds it; taking it away would be a REVOKE).
    /// </summary>
    public bool Grantable { get; init; }

    /// <summary>
    /// A privilege the object was created with (pg_init_privs: initdb's USAGE on the public schema for PUBLIC, an
    /// extension's own grants): live only, so that schema/ not granting it is no drift.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Initial { get; init; }

    public string Key => $"{ObjectKind.ToWire()}:{ObjectName}:{Column}:{Privilege}:{Grantee}";

    public string Describe() => Column is null
        ? $"{Privilege} on {ObjectKind.ToWire()} {ObjectName} to {Grantee}"
        : $"{Privilege} ({Column}) on {ObjectName} to {Grantee}";
}

/// <summary>Everything the engine knows about one schema, read from the catalog in a constant number of queries.</summary>
public sealed record SchemaModel(
    string Schema,
    IReadOnlyList<ExtensionModel> Extensions,
    IReadOnlyList<SequenceModel> Sequences,
    IReadOnlyList<TableModel> Tables,
    IReadOnlyList<IndexModel> Indexes,
    IReadOnlyList<ConstraintModel> Constraints,
    IReadOnlyList<PrivilegeModel> Privileges,
    IReadOnlySet<string> VolatileFunctions)
{
    public IReadOnlyList<EnumModel> Enums { get; init; } = [];

    /// <summary>Domains in creation order (a domain after the domain it is based on).</summary>
    public IReadOnlyList<DomainModel> Domains { get; init; } = [];

    /// <summary>Composite types in creation order.</summary>
    public IReadOnlyList<CompositeTypeModel> CompositeTypes { get; init; } = [];

    /// <summary>Range types in creation order (<see cref="Kinds.RangeTypeKind"/>).</summary>
    public IReadOnlyList<Kinds.RangeTypeModel> RangeTypes { get; init; } = [];

    /// <summary>Views and materialized views in creation order (a view after those it reads).</summary>
    public IReadOnlyList<ViewModel> Views { get; init; } = [];

    /// <summary>Functions and procedures in creation order.</summary>
    public IReadOnlyList<FunctionModel> Functions { get; init; } = [];

    public IReadOnlyList<TriggerModel> Triggers { get; init; } = [];

    public IReadOnlyList<PolicyModel> Policies { get; init; } = [];

    public IReadOnlyList<CommentModel> Comments { get; init; } = [];

    /// <summary>Owners: every object's in a live model, only those schema/ states (ALTER … OWNER TO) in a desired one.</summary>
    public IReadOnlyList<OwnerModel> Owners { get; init; } = [];

    /// <summary>Removals and renames declared in schema/ (the desired model only; a live model has none).</summary>
    public IReadOnlyList<Declaration> Declarations { get; init; } = [];

    /// <summary>
    /// The other schemas this model's schema is managed with (those schema/ creates), each a model of its own with no
    /// schemas of its own. Set on the target schema's model only.
    /// </summary>
    public IReadOnlyList<SchemaModel> Schemas { get; init; } = [];

    /// <summary>This model and the other managed schemas' models, the target schema's first.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<SchemaModel> Managed => Schemas.Prepend(this);

    public TableModel? Table(string name) => Tables.FirstOrDefault(t => t.Name == name);

    /// <summary>
    /// SHA-256 over a canonical text of the structure (not of row counts): two databases with the same
    /// objects have the same fingerprint, and any added, removed or changed object changes it.
    /// </summary>
    /// <remarks>The text is hashed as it is written, never held whole: at 1,000 tables it is megabytes.</remarks>
    public string Fingerprint()
    {
        using var hash = new CanonicalHashWriter();
        WriteCanonical(hash);
        return hash.Finish();
    }

    /// <summary>
    /// The canonical text the fingerprint is taken over: one line per object, sorted within each kind, the kinds in registry order.
    /// </summary>
    public string Canonical()
    {
        var text = new StringWriter { NewLine = "\n" };
        WriteCanonical(text);
        return text.ToString();
    }

    private void WriteCanonical(TextWriter text)
    {
        text.Write("schema "); text.Write(Schema); text.Write('\n');
        foreach (var kind in Kinds.KindRegistry.All) kind.WriteCanonical(this, text);
        foreach (var d in Declarations) Kinds.KindRegistry.Line(text, "declared ", d.Describe());
        foreach (var other in Schemas.OrderBy(o => o.Schema, StringComparer.Ordinal)) other.WriteCanonical(text);
    }
}
