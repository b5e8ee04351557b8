namespace KnowItAll.Migrations.Reporting;

/// <summary>Where a step's full report was written, and how big it is.</summary>
public sealed record ReportLocation(string Location, long Bytes);

/// <summary>Present / missing / different counts of one object kind.</summary>
public sealed record KindCounts(int Present, int Missing, int Different);

/// <summary>
/// What Validate returns through Step Functions: counts, fingerprints and the first items of each list. Its size
/// does not grow with the schema; every object's status is in the report.
/// </summary>
public sealed record ValidationDigest(
    bool SchemaValid,
    string TargetSchema,
    string SchemaFingerprint,
    string DesiredFingerprint,
    int ObjectsChecked,
    int MissingCount,
    int DriftCount,
    IReadOnlyDictionary<string, KindCounts> Counts,
    IReadOnlyList<ObjectStatus> Missing,
    int MissingTruncated,
    IReadOnlyList<DriftItem> Drift,
    int DriftTruncated,
    long DurationMs,
    ReportLocation? Report);

/// <summary>One planned statement as the execution state shows it: the SQL cut to a budget.</summary>
public sealed record StatementDigest(
    int Order,
    string Kind,
    string ObjectName,
    string Lock,
    bool Transactional,
    IReadOnlyList<string> Hazards,
    string Sql,
    bool SqlTruncated);

/// <summary>What Plan returns: the plan hash and counts, with the first statements; every statement is in the report.</summary>
public sealed record PlanDigest(
    bool HasChanges,
    string TargetSchema,
    string PlanHash,
    string SchemaFingerprint,
    string DesiredFingerprint,
    int StatementCount,
    IReadOnlyDictionary<string, int> Changes,
    IReadOnlyDictionary<string, int> HazardCounts,
    int DriftCount,
    IReadOnlyList<StatementDigest> Statements,
    int StatementsTruncated,
    IReadOnlyList<DriftItem> Drift,
    int DriftTruncated,
    long DurationMs,
    ReportLocation? Report)
{
    /// <summary>How many changes cannot be applied safely (Apply refuses the plan), and the first of them.</summary>
    public int BlockingCount { get; init; }

    public IReadOnlyList<BlockingDigest> Blocking { get; init; } = [];

    /// <summary>The first blocking hazard in one line (code, object, reason), for the state machine's failure cause; null when there is
    /// none.</summary>
    public string? BlockingSummary { get; init; }

    /// <summary>How many of the blocking hazards the run may still allow (the approval of this plan, where it is required, does).</summary>
    public int OptInCount { get; init; }

    /// <summary>Every statement that deletes data, with the amount counted at plan time (the first of them; the report has all).</summary>
    public IReadOnlyList<DeletionDigest> Deletions { get; init; } = [];

    public int DeletionsTruncated { get; init; }
}

/// <summary>A statement that deletes data: its order, object, the rows or non-null values it deletes, and the sentence saying so.</summary>
public sealed record DeletionDigest(int Order, string ObjectName, long? Amount, string Message);

/// <summary>A blocking hazard as the execution state shows it: its wire code, the object and the reason, cut to a budget.</summary>
public sealed record BlockingDigest(string Code, string? ObjectName, string Message);

/// <summary>What Apply returns: what changed, the slowest statements, the history row; every timing is in the report.</summary>
public sealed record ApplyDigest(
    bool Changed,
    string PlanHash,
    string SchemaFingerprint,
    int StatementsExecuted,
    IReadOnlyDictionary<string, int> Changes,
    int LockRetries,
    long? HistoryId,
    long DurationMs,
    IReadOnlyList<StatementTiming> Slowest,
    ReportLocation? Report);

/// <summary>What VerifyPermissions returns: the verdict, counts and the first missing privileges.</summary>
public sealed record PermissionDigest(
    bool Success,
    string Role,
    bool RoleExists,
    bool CanLogin,
    bool CanConnect,
    bool HasSchemaUsage,
    int Checked,
    int MissingCount,
    IReadOnlyList<PermissionCheck> Missing,
    int MissingTruncated,
    long DurationMs,
    ReportLocation? Report);
