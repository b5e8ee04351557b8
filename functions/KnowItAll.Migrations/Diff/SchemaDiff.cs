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
    public List<EnumModel> MissingEnums { get; } = [];
    public List<EnumValueAddition> EnumValues { get; } = [];
    public List<SequenceModel> MissingSequences { get; } = [];
    public List<FunctionModel> MissingFunctions { get; } = [];
    public List<FunctionModel> ReplacedFunctions { get; } = [];
    public List<TableModel> MissingTables { get; } = [];
    public List<(TableModel Table, ColumnModel Column)> MissingColumns { get; } = [];
    public List<(TableModel Table, ColumnModel Column)> ColumnDefaults { get; } = [];
    public List<(TableModel Table, ColumnModel Column)> ColumnsNotNull { get; } = [];
    public List<TableSettingsChange> TableSettings { get; } = [];
    public List<ConstraintModel> MissingConstraints { get; } = [];
    public List<ConstraintModel> UnvalidatedConstraints { get; } = [];
    public List<IndexModel> MissingIndexes { get; } = [];
    public List<ViewModel> MissingViews { get; } = [];
    public List<ViewModel> ReplacedViews { get; } = [];
    public List<TriggerModel> MissingTriggers { get; } = [];
    public List<TriggerModel> ReplacedTriggers { get; } = [];
    public List<PolicyModel> MissingPolicies { get; } = [];
    public List<PolicyModel> AlteredPolicies { get; } = [];
    public List<CommentModel> Comments { get; } = [];
    public List<PrivilegeModel> MissingPrivileges { get; } = [];

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

    /// <summary>Desired changes that cannot be applied without loss or a long lock; Apply refuses the plan.</summary>
    public List<Planning.Hazard> Blocking { get; } = [];

    public void Status(string kind, string name, ObjectState status, string? detail = null) => Objects.Add(new ObjectStatus(kind, name, status, detail));

    /// <summary>Every live object the desired schema does not name is drift, never removed.</summary>
    public void NotInSchema<T>(string kind, IEnumerable<T> extra, Func<T, string> name, Func<T, string?>? live = null)
    {
        foreach (var e in extra) Drift.Add(new DriftItem(kind, name(e), "not in schema/", live?.Invoke(e)));
    }
}

/// <summary>A value an existing enum lacks, placed before or after a value it has.</summary>
public sealed record EnumValueAddition(string Enum, string Label, string? Before, string? After);

/// <summary>Table settings to set: row-level security, FORCE, storage parameters.</summary>
public sealed record TableSettingsChange(TableModel Table, bool EnableRowSecurity, bool ForceRowSecurity, IReadOnlyList<string> Options);
