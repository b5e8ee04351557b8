using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// What the live schema lacks or has differently that the engine can change safely (to be planned, kind by
/// kind), what it cannot (blocking), and what it has extra or otherwise different (drift, only reported).
/// </summary>
public sealed class SchemaDiff
{
    public List<ObjectStatus> Objects { get; } = [];
    public List<DriftItem> Drift { get; } = [];

    public List<ExtensionModel> MissingExtensions { get; } = [];

    /// <summary>Installed extensions whose version schema/ states otherwise: ALTER EXTENSION … UPDATE TO.</summary>
    public List<ExtensionModel> ExtensionUpdates { get; } = [];
    public List<EnumModel> MissingEnums { get; } = [];
    public List<EnumValueAddition> EnumValues { get; } = [];
    public List<DomainModel> MissingDomains { get; } = [];
    public List<DomainChange> DomainChanges { get; } = [];
    public List<CompositeTypeModel> MissingCompositeTypes { get; } = [];
    public List<CompositeAttributeChange> CompositeAttributes { get; } = [];
    public List<SequenceModel> MissingSequences { get; } = [];
    public List<FunctionModel> MissingFunctions { get; } = [];
    public List<FunctionModel> ReplacedFunctions { get; } = [];

    /// <summary>Live functions and procedures dropped in the transaction to be created again (their <see cref="ReplacedFunctions"/>
    /// entry): what CREATE OR REPLACE cannot change changes.</summary>
    public List<FunctionModel> DroppedFunctions { get; } = [];
    public List<TableModel> MissingTables { get; } = [];
    public List<(TableModel Table, ColumnModel Column)> MissingColumns { get; } = [];
    public List<(TableModel Table, ColumnModel Column)> ColumnDefaults { get; } = [];
    public List<(TableModel Table, ColumnModel Column)> ColumnsNotNull { get; } = [];
    public List<TableSettingsChange> TableSettings { get; } = [];
    public List<ColumnTypeChange> ColumnTypes { get; } = [];
    public List<(TableModel Table, ColumnModel Column)> DroppedDefaults { get; } = [];

    /// <summary>Generated columns schema/ makes ordinary (DROP EXPRESSION: the stored values stay).</summary>
    public List<(TableModel Table, ColumnModel Column)> DroppedExpressions { get; } = [];
    public List<(TableModel Table, ColumnModel Column)> ColumnsNullable { get; } = [];
    public List<ColumnTypeChange> IdentityChanges { get; } = [];
    public List<(SequenceModel Live, SequenceModel Desired)> SequenceChanges { get; } = [];
    public List<(TableModel Live, TableModel Desired)> ReplicaIdentities { get; } = [];

    /// <summary>The live counters of re-optioned sequences and identities (null: none handed out), read before planning.</summary>
    public Dictionary<string, long?> SequenceCounters { get; } = new(StringComparer.Ordinal);
    public List<ConstraintModel> MissingConstraints { get; } = [];
    public List<ConstraintModel> UnvalidatedConstraints { get; } = [];
    public List<IndexModel> MissingIndexes { get; } = [];
    public List<ViewModel> MissingViews { get; } = [];
    public List<ViewModel> ReplacedViews { get; } = [];
    public List<TriggerModel> MissingTriggers { get; } = [];
    public List<TriggerModel> ReplacedTriggers { get; } = [];

    /// <summary>Triggers whose firing state (ENABLE / DISABLE …) the plan sets: after a create or replace, or alone.</summary>
    public List<TriggerModel> TriggerStates { get; } = [];
    public List<PolicyModel> MissingPolicies { get; } = [];
    public List<PolicyModel> AlteredPolicies { get; } = [];
    public List<CommentModel> Comments { get; } = [];

    /// <summary>Owners schema/ states that the live objects lack, or will lack once the plan creates or re-creates them.</summary>
    public List<OwnerModel> Owners { get; } = [];
    public List<PrivilegeModel> MissingPrivileges { get; } = [];

    /// <summary>Indexes schema/ changed: built anew under a temporary name, the old one dropped, the new one renamed.</summary>
    public List<IndexReplacement> ReplacedIndexes { get; } = [];

    /// <summary>Constraints schema/ changed (definition, or validated ↔ NOT VALID), and keys whose name a plain index holds.</summary>
    public List<ConstraintReplacement> ReplacedConstraints { get; } = [];

    /// <summary>Live views and materialized views dropped in the transaction to be created again as schema/ says (with the views reading
    /// them).</summary>
    public List<ViewModel> DroppedViews { get; } = [];

    /// <summary>Policies whose command or kind changes: dropped and created again in the transaction.</summary>
    public List<PolicyModel> ReplacedPolicies { get; } = [];
    /// <summary>Renames declared in schema/ that the live database has not had yet.</summary>
    public List<Declaration> Renames { get; } = [];

    /// <summary>Removals and revokes declared in schema/ whose object the live database still has.</summary>
    public List<Retirement> Retirements { get; } = [];

    /// <summary>The live model as the pending renames leave it: what the plan's other statements are planned against.</summary>
    public SchemaModel? RenamedLive { get; set; }

    /// <summary>
    /// The data each pending removal deletes, measured at plan time: rows of a table (key "table"), non-null values of a
    /// column (key "table.column"). Filled by the engine before planning (<see cref="Catalog.DataAmounts"/>).
    /// </summary>
    public Dictionary<string, long> DataAmounts { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Differences no statement can carry (the object cannot be altered in place, and replacing it would lose data or what
    /// depends on it), each with why; the planner turns each into a blocking hazard (<see cref="Planning.PlanBuilder"/>).
    /// </summary>
    public List<Uncarryable> Uncarryable { get; } = [];

    /// <summary>
    /// What a kind's comparison keeps for its planning steps, by kind name: a kind declared whole in its own file
    /// (<see cref="Kinds.ObjectKind"/>) keeps its results here rather than in a list of this class.
    /// </summary>
    internal T KindState<T>(string kind) where T : class, new()
    {
        if (!_kindStates.TryGetValue(kind, out var state)) _kindStates[kind] = state = new T();
        return (T)state;
    }

    private readonly Dictionary<string, object> _kindStates = new(StringComparer.Ordinal);

    public void Status(string kind, string name, ObjectState status, string? detail = null) =>
        Objects.Add(new ObjectStatus(kind, name, status, detail));

    /// <summary>Every live object the desired schema does not name is drift, never removed.</summary>
    public void NotInSchema<T>(string kind, IEnumerable<T> extra, Func<T, string> name, Func<T, string?>? live = null)
    {
        foreach (var e in extra) Drift.Add(new DriftItem(kind, name(e), "not in schema/", live?.Invoke(e)));
    }
}

/// <summary>
/// An index to replace: <see cref="Old"/> is the live one of its name (null once dropped), <see cref="Temporary"/> the one a
/// run built under the temporary name (null when none, invalid when its build was killed).
/// </summary>
public sealed record IndexReplacement(IndexModel Desired, IndexModel? Old, IndexModel? Temporary);

/// <summary>
/// A constraint to replace: <see cref="Old"/> is the live one of its name (null once dropped), <see cref="Temporary"/> the one a
/// run added under the temporary name, <see cref="TemporaryIndex"/> the unique index a run built for a key,
/// <see cref="NamedIndex"/> a plain index that holds the key's name.
/// </summary>
public sealed record ConstraintReplacement(ConstraintModel Desired, ConstraintModel? Old, ConstraintModel? Temporary, IndexModel? TemporaryIndex,
    IndexModel? NamedIndex);

/// <summary>A value an existing enum lacks, placed before or after a value it has.</summary>
public sealed record EnumValueAddition(string Enum, string Label, string? Before, string? After);

/// <summary>An existing domain whose default, NOT NULL or checks change; <see cref="UsedBy"/>: the columns of its type ("table.column").</summary>
public sealed record DomainChange(DomainModel Live, DomainModel Desired, IReadOnlyList<string> UsedBy);

/// <summary>An attribute a composite type lacks (<see cref="Live"/> null) or has with another type or collation.</summary>
public sealed record CompositeAttributeChange(string Type, CompositeAttribute Attribute, CompositeAttribute? Live);

/// <summary>Table settings to set: row-level security, FORCE, storage parameters.</summary>
public sealed record TableSettingsChange(TableModel Table, bool EnableRowSecurity, bool ForceRowSecurity, IReadOnlyList<string> Options)
{
    /// <summary>The persistence schema/ gives the table ('p' logged, 'u' unlogged) when it differs from the live one.</summary>
    public char? Persistence { get; init; }
}

/// <summary>
/// An existing column whose type, collation or identity changes. <see cref="Effect"/> is what PostgreSQL said the type
/// change would cost (<see cref="Catalog.ColumnTypeProbe"/>), set before planning.
/// </summary>
public sealed record ColumnTypeChange(TableModel Table, ColumnModel Live, ColumnModel Desired)
{
    public ColumnTypeEffect? Effect { get; init; }

    public string Name => $"{Table.Name}.{Desired.Name}";
}

/// <summary>
/// What a column type or collation change does, as PostgreSQL showed on a copy: rewrites the table, rebuilds indexes (named),
/// checks every row against a domain, needs USING (no assignment cast), or is refused (<see cref="Refusal"/>: why).
/// </summary>
public sealed record ColumnTypeEffect(bool Rewrites, bool ChecksRows, bool NeedsUsing, IReadOnlyList<string> RebuiltIndexes, string? Refusal)
{
    /// <summary>The foreign keys the column is in ("name on table"), which PostgreSQL re-adds with the change; they hold after it.</summary>
    public IReadOnlyList<string> ForeignKeys { get; init; } = [];
}

/// <summary>A difference no statement can carry: what stands in the way (<paramref name="Obstacle"/>), the object, and why.</summary>
public sealed record Uncarryable(Obstacle Obstacle, string Name, string Reason);

/// <summary>What stands in the way of carrying a difference (the planner decides the hazard each one is).</summary>
public enum Obstacle
{
    /// <summary>PostgreSQL cannot alter the type in place, and re-creating it would drop what uses it.</summary>
    TypeNotAlterable,
    /// <summary>Replacing the key or unique index would drop it, and foreign keys reference it.</summary>
    ReferencedByForeignKeys,
    /// <summary>A column's generation cannot change in place, and re-creating the column would drop its values.</summary>
    GenerationNotAlterable,
    /// <summary>Replacing the view would drop what reads it, which schema/ does not create again.</summary>
    ViewReaders,
    /// <summary>CREATE OR REPLACE cannot make the change, and dropping the function would take what depends on it.</summary>
    FunctionDependants,
}
