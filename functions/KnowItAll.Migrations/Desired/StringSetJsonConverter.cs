using System.Text.Json;
using System.Text.Json.Serialization;

namespace KnowItAll.Migrations.Desired;

/// <summary>A set of names as a sorted JSON array (System.Text.Json cannot create an <see cref="IReadOnlySet{T}"/> itself).</summary>
internal sealed class StringSetJsonConverter : JsonConverter<IReadOnlySet<string>>
{
    public override IReadOnlySet<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected an array of names");
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            set.Add(reader.GetString() ?? throw new JsonException("expected a name, found null"));
        return set;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlySet<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var name in value.Order(StringComparer.Ordinal)) writer.WriteStringValue(name);
        writer.WriteEndArray();
    }
}
