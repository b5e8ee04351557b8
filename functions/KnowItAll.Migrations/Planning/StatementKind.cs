using System.Text.Json.Serialization;

namespace KnowItAll.Migrations.Planning;

/// <summary>What a planned statement changes; on the wire in snake_case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StatementKind>))]
public enum StatementKind
{
    [JsonStringEnumMemberName("extension")] Extension,
    [JsonStringEnumMemberName("enum")] Enum,
    [JsonStringEnumMemberName("enum_value")] EnumValue,
    [JsonStringEnumMemberName("sequence")] Sequence,
    [JsonStringEnumMemberName("sequence_owner")] SequenceOwner,
    [JsonStringEnumMemberName("function")] Function,
    [JsonStringEnumMemberName("table")] Table,
    [JsonStringEnumMemberName("table_settings")] TableSettings,
    [JsonStringEnumMemberName("column")] Column,
    [JsonStringEnumMemberName("column_default")] ColumnDefault,
    [JsonStringEnumMemberName("column_not_null")] ColumnNotNull,
    [JsonStringEnumMemberName("constraint")] Constraint,
    [JsonStringEnumMemberName("validate")] Validate,
    [JsonStringEnumMemberName("index")] Index,
    [JsonStringEnumMemberName("view")] View,
    [JsonStringEnumMemberName("materialized_view")] MaterializedView,
    [JsonStringEnumMemberName("trigger")] Trigger,
    [JsonStringEnumMemberName("row_security")] RowSecurity,
    [JsonStringEnumMemberName("policy")] Policy,
    [JsonStringEnumMemberName("comment")] Comment,
    [JsonStringEnumMemberName("grant")] Grant,

    /// <summary>A rename declared in schema/ (ALTER … RENAME …).</summary>
    [JsonStringEnumMemberName("rename")] Rename,

    /// <summary>A removal declared in schema/ (DROP …, ALTER TABLE … DROP …).</summary>
    [JsonStringEnumMemberName("drop")] Drop,

    /// <summary>A REVOKE declared in schema/.</summary>
    [JsonStringEnumMemberName("revoke")] Revoke,
}
