using System.Text.Json.Serialization;

namespace KnowItAll.Migrations.Model;

/// <summary>An enum type; <see cref="Labels"/> in sort order.</summary>
public sealed record EnumModel(string Name, IReadOnlyList<string> Labels);

/// <summary>
/// A view or materialized view. <see cref="Definition"/> is PostgreSQL's own deparsed query (names qualified);
/// <see cref="Columns"/> are "name type" in order, which decides whether CREATE OR REPLACE can apply a change.
/// </summary>
public sealed record ViewModel(string Name, bool Materialized, string Definition, IReadOnlyList<string> Columns, IReadOnlyList<string> Options)
{
    /// <summary>
    /// Whether a materialized view holds its query's rows (relispopulated). In a desired model false says schema/ creates it
    /// WITH NO DATA: it is created empty, and the state is never compared (a REFRESH fills it).
    /// </summary>
    public bool Populated { get; init; } = true;

    /// <summary>The views and materialized views of the schema that read this one (live only: what a replacement drops with it).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ReadBy { get; init; } = [];

    /// <summary>
    /// Everything else that depends on it and would stop its drop: views of other schemas, functions of its row type,
    /// rules, statistics (as pg_describe_object says them; live only).
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> Dependants { get; init; } = [];

    /// <summary>
    /// The columns of the schema's tables its query reads, as (table, column) (live only: a type change of one of them drops and
    /// re-creates the view, since PostgreSQL does not retype a column a view uses).
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<(string Table, string Column)> ReadsColumns { get; init; } = [];
}

/// <summary>
/// A function (<see cref="Kind"/> 'f') or procedure ('p'). It is keyed by <see cref="Signature"/>, so a changed
/// argument list is another function; <see cref="Definition"/> is pg_get_functiondef's CREATE OR REPLACE text.
/// </summary>
public sealed record FunctionModel(string Name, string ArgumentTypes, char Kind, string Result, string Definition)
{
    public string Signature => $"{Name}({ArgumentTypes})";

    /// <summary>What depends on it (views, triggers, defaults, checks, indexes, policies, other functions; as pg_describe_object says them;
    /// live only): what dropping it would take with it.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Dependants { get; init; } = [];
}

/// <summary>A user trigger; <see cref="Definition"/> is pg_get_triggerdef's CREATE TRIGGER text.</summary>
public sealed record TriggerModel(string Name, string Table, string Definition)
{
    /// <summary>When it fires (pg_trigger.tgenabled): 'O' as created, 'D' disabled, 'R' on replicas only, 'A' always.</summary>
    public char Enabled { get; init; } = 'O';

    /// <summary>The ALTER TABLE clause that sets <see cref="Enabled"/>.</summary>
    public string EnabledClause() => Enabled switch
    {
        'D' => "DISABLE",
        'R' => "ENABLE REPLICA",
        'A' => "ENABLE ALWAYS",
        _ => "ENABLE",
    };
}

/// <summary>A row-level security policy. <see cref="Command"/>: ALL, SELECT, INSERT, UPDATE or DELETE.</summary>
public sealed record PolicyModel(string Name, string Table, bool Permissive, string Command, IReadOnlyList<string> Roles, string? Using,
    string? Check)
{
    public string Describe() =>
        $"AS {(Permissive ? "PERMISSIVE" : "RESTRICTIVE")} FOR {Command} TO {string.Join(", ", Roles)}" +
        (Using is null ? "" : $" USING ({Using})") + (Check is null ? "" : $" WITH CHECK ({Check})");
}

/// <summary>
/// A comment. <see cref="ObjectType"/> is the COMMENT ON keyword (TABLE, COLUMN, TRIGGER, ...) and
/// <see cref="Identity"/> PostgreSQL's quoted identity of the object (pg_identify_object), so
/// <c>COMMENT ON {ObjectType} {Identity}</c> is the statement.
/// </summary>
public sealed record CommentModel(string ObjectType, string Identity, string Text)
{
    public string Key => $"{ObjectType} {Identity}";
}

/// <summary>
/// The owner of an object. <see cref="ObjectType"/> is the ALTER keyword (TABLE, VIEW, MATERIALIZED VIEW, SEQUENCE, FUNCTION,
/// PROCEDURE, TYPE, DOMAIN, SCHEMA) and <see cref="Identity"/> PostgreSQL's quoted identity of the object (pg_identify_object),
/// so <c>ALTER {ObjectType} {Identity} OWNER TO {Owner}</c> is the statement. A desired model holds only the owners schema/ states.
/// </summary>
public sealed record OwnerModel(string ObjectType, string Identity, string Owner)
{
    public string Key => $"{ObjectType} {Identity}";
}

/// <summary>
/// A domain. <see cref="BaseType"/> is format_type of the base type (a type of the schema qualified), <see cref="Default"/>
/// the deparsed default, <see cref="Collation"/> set only when it is not the base type's own.
/// </summary>
public sealed record DomainModel(string Name, string BaseType, string? Default, bool NotNull, string? Collation, IReadOnlyList<DomainCheck> Checks)
{
    public string Describe() =>
        BaseType + (Collation is null ? "" : $" collate {Collation}") + (Default is null ? "" : $" default {Default}") + (NotNull ? " not null" : "")
        + string.Concat(Checks.Select(c => $" constraint {c.Name} {c.Definition}{(c.IsValidated ? "" : " not valid")}"));
}

/// <summary>A check of a domain; <see cref="Definition"/> is pg_get_constraintdef's text without "NOT VALID".</summary>
public sealed record DomainCheck(string Name, string Definition, bool IsValidated);

/// <summary>A composite type (CREATE TYPE name AS (...)); <see cref="Attributes"/> in order.</summary>
public sealed record CompositeTypeModel(string Name, IReadOnlyList<CompositeAttribute> Attributes)
{
    public string Describe() => string.Join(", ", Attributes.Select(a => a.Describe()));
}

/// <summary>An attribute of a composite type; <see cref="Collation"/> set only when it is not its type's own.</summary>
public sealed record CompositeAttribute(string Name, string Type, string? Collation)
{
    public string Describe() => $"{Name} {Type}{(Collation is null ? "" : $" collate {Collation}")}";
}
