using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations.Json;

namespace KnowItAll.Migrations.Reporting;

/// <summary>
/// Writes each step's full result to the report store and returns the bounded digest that names it. A report is
/// <c>{"format", "step", "execution_name", "written_at", "result"}</c>, the result being the engine's whole answer.
/// </summary>
public sealed class StepReporter(IReportStore store, TimeProvider? time = null)
{
    public const string Format = "knowitall-report/1";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IReportStore Store => store;

    public async Task<ValidationDigest> ValidationAsync(ValidationResult result, string? executionName, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToNode(result, MigrationJsonContext.Default.ValidationResult);
        var report = await WriteAsync(ReportKeys.Validate, executionName, body, [], cancellationToken);
        return DigestBuilder.Of(result, report);
    }

    /// <summary>A plan is also kept under its hash, where an approval or <c>knowitall report HASH</c> finds it.</summary>
    public async Task<PlanDigest> PlanAsync(MigrationPlan plan, string? executionName, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToNode(plan, MigrationJsonContext.Default.MigrationPlan);
        var report = await WriteAsync(ReportKeys.Plan, executionName, body, [ReportKeys.ForPlan(plan.PlanHash)], cancellationToken);
        return DigestBuilder.Of(plan, report);
    }

    public async Task<ApplyDigest> ApplyAsync(ApplyResult result, string? executionName, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToNode(result, MigrationJsonContext.Default.ApplyResult);
        var report = await WriteAsync(ReportKeys.Apply, executionName, body, [], cancellationToken);
        return DigestBuilder.Of(result, report);
    }

    public async Task<PermissionDigest> PermissionsAsync(PermissionReport result, string? executionName, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToNode(result, MigrationJsonContext.Default.PermissionReport);
        var report = await WriteAsync(ReportKeys.VerifyPermissions, executionName, body, [], cancellationToken);
        return DigestBuilder.Of(result, report);
    }

    private async Task<ReportLocation> WriteAsync(string step, string? executionName, JsonNode? result, IReadOnlyList<string> alsoAt, CancellationToken ct)
    {
        // Outside an execution (a direct invocation) the report still gets a name of its own, never a shared one.
        var name = executionName ?? $"direct-{_time.GetUtcNow():yyyyMMddTHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var document = new JsonObject
        {
            ["format"] = Format,
            ["step"] = step,
            ["execution_name"] = name,
            ["written_at"] = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["result"] = result,
        };
        var bytes = System.Text.Encoding.UTF8.GetBytes(document.ToJsonString());
        var location = await store.WriteAsync(ReportKeys.ForStep(name, step), bytes, ct);
        foreach (var key in alsoAt) await store.WriteAsync(key, bytes, ct);
        return location;
    }
}
