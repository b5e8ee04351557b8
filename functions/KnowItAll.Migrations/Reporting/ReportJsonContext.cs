using System.Text.Json.Serialization;

namespace KnowItAll.Migrations.Reporting;

/// <summary>Source-generated snake_case JSON for the digests the functions return (Native AOT has no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(ValidationDigest))]
[JsonSerializable(typeof(PlanDigest))]
[JsonSerializable(typeof(ApplyDigest))]
[JsonSerializable(typeof(PermissionDigest))]
[JsonSerializable(typeof(WorkflowState))]
[JsonSerializable(typeof(NotifyDigest))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
