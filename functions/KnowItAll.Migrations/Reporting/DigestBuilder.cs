using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Reporting;

/// <summary>
/// Turns full engine results into digests that fit the execution state at any schema size. The budget is what
/// keeps a whole execution (every step's digest, the notification's input, the final output) under 32 KiB at
/// 5,000 tables, far below Step Functions' 256 KiB per state.
/// </summary>
public static class DigestBuilder
{
    /// <summary>Statements shown in the state and the notification; the rest are counted in statements_truncated.</summary>
    public const int MaxStatements = 20;

    /// <summary>Missing objects, drift items and missing privileges shown per list.</summary>
    public const int MaxListItems = 10;

    /// <summary>Each statement's SQL is cut here; sql_truncated says so.</summary>
    public const int MaxSqlChars = 240;

    /// <summary>Any other free text (object names, drift details) is cut here.</summary>
    public const int MaxTextChars = 200;

    public const int MaxSlowest = 5;

    public static ValidationDigest Of(ValidationResult result, ReportLocation? report)
    {
        var counts = result.Objects
            .GroupBy(o => o.Kind, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new KindCounts(
                g.Count(o => o.Status == ObjectStatus.Present),
                g.Count(o => o.Status == ObjectStatus.Missing),
                g.Count(o => o.Status == ObjectStatus.Different)), StringComparer.Ordinal);
        return new ValidationDigest(
            result.SchemaValid, result.TargetSchema, result.SchemaFingerprint, result.DesiredFingerprint,
            result.ObjectsChecked, result.Missing.Count, result.Drift.Count, counts,
            result.Missing.Take(MaxListItems).Select(Cut).ToList(), Math.Max(0, result.Missing.Count - MaxListItems),
            result.Drift.Take(MaxListItems).Select(Cut).ToList(), Math.Max(0, result.Drift.Count - MaxListItems),
            result.DurationMs, report);
    }

    public static PlanDigest Of(MigrationPlan plan, ReportLocation? report) => new(
        plan.HasChanges, plan.TargetSchema, plan.PlanHash, plan.SchemaFingerprint, plan.DesiredFingerprint,
        plan.Statements.Count, ChangesByKind(plan.Statements), HazardCounts(plan.Statements), plan.Drift.Count,
        plan.Statements.Take(MaxStatements).Select(Of).ToList(), Math.Max(0, plan.Statements.Count - MaxStatements),
        plan.Drift.Take(MaxListItems).Select(Cut).ToList(), Math.Max(0, plan.Drift.Count - MaxListItems),
        plan.DurationMs, report)
    {
        BlockingCount = plan.Blocking.Count,
        Blocking = plan.Blocking.Take(MaxListItems).Select(h => new BlockingDigest(h.Code.ToWire(), CutOrNull(h.ObjectName), Cut(h.Message)))
        .ToList(),
        BlockingSummary = plan.Blocking.Count == 0 ? null : Cut($"{plan.Blocking[0].Code.ToWire()}: {plan.Blocking[0].Message}", MaxTextChars + 40),
        OptInCount = plan.AwaitingOptIn.Count,
        Deletions = Deletions(plan).Take(MaxListItems).ToList(),
        DeletionsTruncated = Math.Max(0, Deletions(plan).Count() - MaxListItems),
    };

    private static IEnumerable<DeletionDigest> Deletions(MigrationPlan plan) =>
        plan.Statements.SelectMany(s => s.Hazards.Where(h => h.Code == HazardCode.DeletesData)
            .Select(h => new DeletionDigest(s.Order, Cut(s.ObjectName), h.Amount, Cut(h.Message, MaxTextChars + 40))));

    public static ApplyDigest Of(ApplyResult result, ReportLocation? report) => new(
        result.Changed, result.PlanHash, result.SchemaFingerprint, result.StatementsExecuted,
        result.Changed ? ChangesByKind(result.Plan.Statements) : new Dictionary<string, int>(),
        result.LockRetries, result.HistoryId, result.DurationMs,
        result.Timings.OrderByDescending(t => t.DurationMs).ThenBy(t => t.Order).Take(MaxSlowest)
            .Select(t => t with { ObjectName = Cut(t.ObjectName) }).ToList(),
        report);

    public static PermissionDigest Of(PermissionReport result, ReportLocation? report) => new(
        result.Success, result.Role, result.RoleExists, result.CanLogin, result.CanConnect, result.HasSchemaUsage, result.Checked,
        result.MissingCount, result.Missing.Take(MaxListItems).Select(m => m with { Object = Cut(m.Object) }).ToList(),
        Math.Max(0, result.Missing.Count - MaxListItems), result.DurationMs, report);

    public static StatementDigest Of(PlannedStatement s) => new(
        s.Order, s.Kind.ToWire(), Cut(s.ObjectName), s.Lock.ToWire(), s.Transactional,
        s.Hazards.Select(h => h.Code.ToWire()).Distinct(StringComparer.Ordinal).ToList(),
        s.Sql.Length > MaxSqlChars ? s.Sql[..MaxSqlChars] + "…" : s.Sql, s.Sql.Length > MaxSqlChars);

    /// <summary>Text cut to <paramref name="max"/> characters, marked with an ellipsis.</summary>
    public static string Cut(string text, int max = MaxTextChars) => text.Length > max ? text[..max] + "…" : text;

    private static string? CutOrNull(string? text) => text is null ? null : Cut(text);

    private static ObjectStatus Cut(ObjectStatus o) => o with { Name = Cut(o.Name), Detail = CutOrNull(o.Detail) };

    private static DriftItem Cut(DriftItem d) =>
        d with { Name = Cut(d.Name), Reason = Cut(d.Reason), Live = CutOrNull(d.Live), Desired = CutOrNull(d.Desired) };

    private static Dictionary<string, int> ChangesByKind(IEnumerable<PlannedStatement> statements) =>
        statements.GroupBy(s => s.Kind.ToWire(), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static Dictionary<string, int> HazardCounts(IEnumerable<PlannedStatement> statements) =>
        statements.SelectMany(s => s.Hazards).GroupBy(h => h.Code.ToWire(), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
