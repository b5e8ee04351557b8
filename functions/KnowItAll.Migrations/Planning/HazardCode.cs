using System.Text.Json.Serialization;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// What a planned statement costs the live database (on the statement), or why a desired change cannot be
/// applied safely at all (a blocking hazard, on the plan: Apply refuses a plan that has one).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<HazardCode>))]
public enum HazardCode
{
    [JsonStringEnumMemberName("ACCESS_EXCLUSIVE_LOCK")] AccessExclusiveLock,
    [JsonStringEnumMemberName("SHARE_ROW_EXCLUSIVE_LOCK")] ShareRowExclusiveLock,
    [JsonStringEnumMemberName("TABLE_REWRITE")] TableRewrite,
    [JsonStringEnumMemberName("INDEX_BUILD")] IndexBuild,
    [JsonStringEnumMemberName("UNIQUE_INDEX_BUILD")] UniqueBuild,
    [JsonStringEnumMemberName("FK_VALIDATION_SCAN")] ForeignKeyValidation,
    [JsonStringEnumMemberName("CHECK_VALIDATION_SCAN")] CheckValidation,
    [JsonStringEnumMemberName("ROW_LEVEL_SECURITY")] RowLevelSecurity,
    [JsonStringEnumMemberName("MATERIALIZED_VIEW_POPULATE")] MaterializedViewPopulate,
    [JsonStringEnumMemberName("ENUM_VALUE_OUTSIDE_TRANSACTION")] EnumValueOutsideTransaction,
    [JsonStringEnumMemberName("NOT_NULL_WITHOUT_DEFAULT")] NotNullWithoutDefault,
    [JsonStringEnumMemberName("VIEW_NOT_REPLACEABLE")] ViewNotReplaceable,
    /// <summary>A function or procedure CREATE OR REPLACE cannot change (an argument's name, mode or default removed, its result or OUT
    /// parameters) that something depends on: dropping it to create it again would take them too.</summary>
    [JsonStringEnumMemberName("FUNCTION_NOT_REPLACEABLE")] FunctionNotReplaceable,
    [JsonStringEnumMemberName("POLICY_NOT_ALTERABLE")] PolicyNotAlterable,
    [JsonStringEnumMemberName("INDEX_REBUILD")] IndexRebuild,
    [JsonStringEnumMemberName("TYPE_CHECK_SCAN")] TypeCheckScan,
    [JsonStringEnumMemberName("TYPE_CHANGE_REFUSED")] TypeChangeRefused,
    [JsonStringEnumMemberName("IDENTITY_DROPPED")] IdentityDropped,
    [JsonStringEnumMemberName("SEQUENCE_COUNTER_OUT_OF_RANGE")] SequenceCounterOutOfRange,
    /// <summary>An object schema/ changed is dropped and built again as schema/ says (the statement says what stands in meanwhile).</summary>
    [JsonStringEnumMemberName("OBJECT_REPLACED")] ObjectReplaced,
    /// <summary>A replacement other objects depend on that the plan cannot carry (foreign keys on a replaced key, objects schema/ does not
    /// name).</summary>
    [JsonStringEnumMemberName("REPLACEMENT_BLOCKED")] ReplacementBlocked,
    [JsonStringEnumMemberName("DELETES_DATA")] DeletesData,
    [JsonStringEnumMemberName("RENAME_BREAKS_OLD_NAME")] RenameBreaksOldName,
    /// <summary>
    /// A rewrite, full scan or index rebuild of a table larger than <see cref="OptInHazards.BriefLockBytes"/> under ACCESS
    /// EXCLUSIVE: reads and writes stop for as long as it takes, so the run must allow it.
    /// </summary>
    [JsonStringEnumMemberName("LONG_EXCLUSIVE_LOCK")] LongExclusiveLock,

    /// <summary>A generated column whose expression changes, or an ordinary column that becomes generated: no in-place form on
    /// PostgreSQL 15, and re-creating the column would drop its values.</summary>
    [JsonStringEnumMemberName("GENERATION_NOT_ALTERABLE")] GenerationNotAlterable,
}

/// <summary>A hazard of one statement, or a blocking one of the plan (<see cref="ObjectName"/> says which object).</summary>
public sealed record Hazard(HazardCode Code, string Message, string? ObjectName = null)
{
    /// <summary>For DELETES_DATA: the rows (of a table) or non-null values (of a column) the statement deletes, counted at plan time.</summary>
    public long? Amount { get; init; }
}
