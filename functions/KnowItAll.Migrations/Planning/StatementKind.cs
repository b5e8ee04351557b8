using System.Text.Json.Serialization;

namespace KnowItAll.Migrations.Planning;

/// <summary>What a planned statement changes; on the wire in snake_case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StatementKind>))]
public enum StatementKind
{
    /// <summary>A schema schema/ creates besides the target schema (CREATE SCHEMA IF NOT EXISTS).</summary>
    [JsonStringEnumMemberName("schema")] Schema,
    [JsonStringEnumMemberName("extension")] Extension,
    [JsonStringEnumMemberName("enum")] Enum,
    [JsonStringEnumMemberName("enum_value")] EnumValue,
    [JsonStringEnumMemberName("domain")] Domain,
    /// <summary>A domain's default, NOT NULL or a check schema/ no longer gives it, changed in place (ALTER DOMAIN).</summary>
    [JsonStringEnumMemberName("domain_alter")] DomainAlter,
    [JsonStringEnumMemberName("domain_check")] DomainCheck,
    /// <summary>A step of replacing a domain check schema/ changed: the old one dropped and the new one put in its place.</summary>
    [JsonStringEnumMemberName("domain_check_replace")] DomainCheckReplace,
    [JsonStringEnumMemberName("composite_type")] CompositeType,
    [JsonStringEnumMemberName("composite_attribute")] CompositeAttribute,
    /// <summary>A range type (CREATE TYPE … AS RANGE), with its multirange type.</summary>
    [JsonStringEnumMemberName("range_type")] RangeType,
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

    /// <summary>ALTER TABLE … ENABLE / DISABLE / ENABLE REPLICA / ENABLE ALWAYS TRIGGER: when a trigger fires.</summary>
    [JsonStringEnumMemberName("trigger_state")] TriggerState,
    [JsonStringEnumMemberName("row_security")] RowSecurity,
    [JsonStringEnumMemberName("policy")] Policy,
    [JsonStringEnumMemberName("comment")] Comment,
    [JsonStringEnumMemberName("grant")] Grant,
    /// <summary>An owner schema/ states (ALTER … OWNER TO).</summary>
    [JsonStringEnumMemberName("owner")] Owner,
    [JsonStringEnumMemberName("column_type")] ColumnType,
    [JsonStringEnumMemberName("column_nullable")] ColumnNullable,
    [JsonStringEnumMemberName("column_identity")] ColumnIdentity,
    [JsonStringEnumMemberName("sequence_options")] SequenceOptions,
    [JsonStringEnumMemberName("replica_identity")] ReplicaIdentity,
    /// <summary>A step of replacing an index schema/ changed: the old one dropped once the new one is built, the new one renamed.</summary>
    [JsonStringEnumMemberName("index_replace")] IndexReplace,
    /// <summary>A step of replacing a constraint schema/ changed: the old one dropped and the new one renamed, in one statement.</summary>
    [JsonStringEnumMemberName("constraint_replace")] ConstraintReplace,
    /// <summary>A view or materialized view dropped to be created again as schema/ says, in the same transaction.</summary>
    [JsonStringEnumMemberName("view_replace")] ViewReplace,
    /// <summary>A trigger dropped and created again in one statement (constraint triggers have no CREATE OR REPLACE).</summary>
    [JsonStringEnumMemberName("trigger_replace")] TriggerReplace,
    /// <summary>A policy dropped and created again in the transaction (its command or kind changes).</summary>
    [JsonStringEnumMemberName("policy_replace")] PolicyReplace,
    /// <summary>A function or procedure dropped (never CASCADE) to be created again in the transaction: CREATE OR REPLACE cannot change
    /// its argument names or result.</summary>
    [JsonStringEnumMemberName("function_replace")] FunctionReplace,

    /// <summary>A rename declared in schema/ (ALTER … RENAME …).</summary>
    [JsonStringEnumMemberName("rename")] Rename,

    /// <summary>A removal declared in schema/ (DROP …, ALTER TABLE … DROP …).</summary>
    [JsonStringEnumMemberName("drop")] Drop,

    /// <summary>A REVOKE declared in schema/.</summary>
    [JsonStringEnumMemberName("revoke")] Revoke,
}
