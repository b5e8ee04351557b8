using System.Text.Json.Serialization;

namespace KnowItAll.Migrations.Desired;

/// <summary>
/// Source-generated JSON for the compiled model: the model records are serialised as they are, so a new object
/// kind in Model/ is carried without code here (and changes <see cref="CompiledModelFile.CurrentShape"/>).
/// Computed read-only properties are not part of the file.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    IgnoreReadOnlyProperties = true,
    WriteIndented = true,
    Converters = [typeof(StringSetJsonConverter)])]
[JsonSerializable(typeof(CompiledModel))]
internal sealed partial class CompiledModelJsonContext : JsonSerializerContext;
