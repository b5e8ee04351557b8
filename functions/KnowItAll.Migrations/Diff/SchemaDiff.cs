using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>What the live schema lacks (to be planned), what it has differently or extra (drift, only reported).</summary>
public sealed record SchemaDiff(
    IReadOnlyList<ObjectStatus> Objects,
    IReadOnlyList<DriftItem> Drift,
    IReadOnlyList<ExtensionModel> MissingExtensions,
    IReadOnlyList<SequenceModel> MissingSequences,
    IReadOnlyList<TableModel> MissingTables,
    IReadOnlyList<(TableModel Table, ColumnModel Column)> MissingColumns,
    IReadOnlyList<IndexModel> MissingIndexes,
    IReadOnlyList<ConstraintModel> MissingConstraints,
    IReadOnlyList<ConstraintModel> UnvalidatedConstraints,
    IReadOnlyList<PrivilegeModel> MissingPrivileges);
