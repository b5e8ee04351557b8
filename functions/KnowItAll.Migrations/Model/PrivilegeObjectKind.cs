using System.Text.Json.Serialization;
using KnowItAll.Migrations.Json;

namespace KnowItAll.Migrations.Model;

/// <summary>What a privilege is held on; the wire names are the catalog query's and the compiled model's.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PrivilegeObjectKind>))]
public enum PrivilegeObjectKind
{
    [JsonStringEnumMemberName("schema")] Schema,
    [JsonStringEnumMemberName("table")] Table,
    [JsonStringEnumMemberName("column")] Column,
    [JsonStringEnumMemberName("sequence")] Sequence,
    [JsonStringEnumMemberName("function")] Function,
    /// <summary>An enum, composite, range type or domain (GRANT USAGE ON TYPE; PUBLIC has USAGE by default).</summary>
    [JsonStringEnumMemberName("type")] Type,
}

public static class PrivilegeObjectKinds
{
    private static readonly WireNameMap<PrivilegeObjectKind> Names = new(MigrationJsonContext.Default.PrivilegeObjectKind);

    public static string ToWire(this PrivilegeObjectKind kind) => Names[kind];

    /// <summary>The kind a catalog query names; another name is a bug in the query, never a privilege to skip.</summary>
    public static PrivilegeObjectKind Parse(string wire) => Names.Parse(wire);
}
