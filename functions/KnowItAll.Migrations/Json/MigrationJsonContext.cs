using System.Text.Json.Serialization;

namespace KnowItAll.Migrations.Json;

/// <summary>Source-generated snake_case JSON for every engine result (Native AOT has no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(ValidationResult))]
[JsonSerializable(typeof(MigrationPlan))]
[JsonSerializable(typeof(ApplyResult))]
[JsonSerializable(typeof(PermissionReport))]
[JsonSerializable(typeof(ApplyRequest))]
[JsonSerializable(typeof(IReadOnlyList<PlannedStatement>))]
[JsonSerializable(typeof(IReadOnlyList<StatementTiming>))]
[JsonSerializable(typeof(IReadOnlyList<Apply.HistoryRow>))]
[JsonSerializable(typeof(KnowItAll.Migrations.Planning.StatementKind))]
[JsonSerializable(typeof(KnowItAll.Migrations.Planning.LockLevel))]
[JsonSerializable(typeof(KnowItAll.Migrations.Planning.HazardCode))]
[JsonSerializable(typeof(KnowItAll.Migrations.Model.PrivilegeObjectKind))]
public sealed partial class MigrationJsonContext : JsonSerializerContext;
