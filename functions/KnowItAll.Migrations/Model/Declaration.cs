using System.Text.Json.Serialization;

namespace KnowItAll.Migrations.Model;

/// <summary>What a declaration in schema/ asks for: an object removed, renamed, or privileges revoked.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeclarationAction>))]
public enum DeclarationAction
{
    [JsonStringEnumMemberName("drop")] Drop,
    [JsonStringEnumMemberName("rename")] Rename,
    [JsonStringEnumMemberName("revoke")] Revoke,
}

/// <summary>
/// A removal or rename written in schema/ with PostgreSQL's own statement (DROP …, ALTER … RENAME …, REVOKE …). Only a
/// declaration ever removes or renames a live object: an object merely absent from schema/ stays drift.
/// </summary>
/// <param name="Kind">table, column, constraint, view, materialized_view, index, sequence, function, procedure, trigger,
/// policy, type, enum_value or privilege.</param>
/// <param name="Name">The object's unqualified name; a function's or procedure's "name(argument types)"; an enum value's label;
/// for a revoke, the object the privileges are on.</param>
/// <param name="Table">The table of a column, constraint, trigger or policy; the type of an enum value; for a revoke, the
/// object kind (table, sequence, function or schema).</param>
/// <param name="NewName">A rename's new name.</param>
/// <param name="Location">file:line of the statement in schema/.</param>
public sealed record Declaration(DeclarationAction Action, string Kind, string Name, string? Table, string? NewName, string Location)
{
    /// <summary>A revoke's privileges (PostgreSQL's names, ALL spelled out) and grantees.</summary>
    public IReadOnlyList<string> Privileges { get; init; } = [];

    public IReadOnlyList<string> Grantees { get; init; } = [];

    /// <summary>A column-level revoke's column.</summary>
    public string? Column { get; init; }

    /// <summary>The object as the validation and the plan name it ("users.legacy", "tree_nodes.some_check", "f(integer)").</summary>
    public string ObjectName => Kind switch
    {
        "column" or "constraint" or "trigger" or "policy" or "enum_value" => $"{Table}.{Name}",
        "privilege" =>
            $"{string.Join(", ", Privileges)}{(Column is null ? "" : $" ({Column})")} on {Table} {Name} from {string.Join(", ", Grantees)}",
        _ => Name,
    };

    public string Describe() => Action switch
    {
        DeclarationAction.Rename => $"rename {Kind} {ObjectName} to {NewName} ({Location})",
        DeclarationAction.Revoke => $"revoke {ObjectName} ({Location})",
        _ => $"drop {Kind} {ObjectName} ({Location})",
    };
}
