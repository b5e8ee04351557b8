using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations;

/// <summary>
/// One statement of a plan. <see cref="Transactional"/> false means it runs on its own, outside the plan's
/// transaction: before it (ALTER TYPE ... ADD VALUE, so the transaction can use the value) or after it
/// (CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT), in plan order.
/// </summary>
public sealed record PlannedStatement(
    int Order,
    StatementKind Kind,
    string ObjectName,
    string Sql,
    LockLevel Lock,
    bool Transactional,
    IReadOnlyList<Hazard> Hazards);

public sealed record PlanSummary(
    IReadOnlyList<string> ExtensionsCreated,
    IReadOnlyList<string> SequencesCreated,
    IReadOnlyList<string> TablesCreated,
    IReadOnlyList<string> ColumnsAdded,
    IReadOnlyList<string> IndexesCreated,
    IReadOnlyList<string> ConstraintsAdded,
    IReadOnlyList<string> GrantsApplied)
{
    public static readonly PlanSummary Empty = new([], [], [], [], [], [], []);

    /// <summary>Every other change (types, views, functions, triggers, policies, comments, settings), as "kind name".</summary>
    public IReadOnlyList<string> OtherChanges { get; init; } = [];

    public int ChangeCount => ExtensionsCreated.Count + SequencesCreated.Count + TablesCreated.Count + ColumnsAdded.Count
        + IndexesCreated.Count + ConstraintsAdded.Count + GrantsApplied.Count + OtherChanges.Count;
}

/// <summary>
/// A plan. <see cref="Blocking"/> lists every desired change that cannot be applied safely (all of them, not
/// the first): Apply refuses a plan that has any, and changes nothing.
/// </summary>
public sealed record MigrationPlan(
    bool HasChanges,
    string TargetSchema,
    string PlanHash,
    string SchemaFingerprint,
    string DesiredFingerprint,
    IReadOnlyList<PlannedStatement> Statements,
    PlanSummary Summary,
    IReadOnlyList<DriftItem> Drift,
    long DurationMs)
{
    public IReadOnlyList<Hazard> Blocking { get; init; } = [];

    /// <summary>
    /// The blocking hazards the run may still allow (<see cref="Planning.OptInHazards"/>): each is also in <see cref="Blocking"/>.
    /// Where plan approval is required, approving this exact plan allows them; the other blocking hazards never can be.
    /// </summary>
    public IReadOnlyList<Hazard> AwaitingOptIn { get; init; } = [];
}
