using System.Text.Json.Serialization;

namespace KnowItAll.Migrations.Planning;

/// <summary>The heaviest lock a statement takes on an existing object; on the wire, PostgreSQL's names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LockLevel>))]
public enum LockLevel
{
    [JsonStringEnumMemberName("NONE")] None,
    [JsonStringEnumMemberName("SHARE UPDATE EXCLUSIVE")] ShareUpdateExclusive,
    [JsonStringEnumMemberName("SHARE")] Share,
    [JsonStringEnumMemberName("SHARE ROW EXCLUSIVE")] ShareRowExclusive,
    [JsonStringEnumMemberName("ACCESS EXCLUSIVE")] AccessExclusive,
}
