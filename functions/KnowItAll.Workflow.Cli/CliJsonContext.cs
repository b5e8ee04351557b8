using System.Text.Json.Serialization;

namespace KnowItAll.Workflow.Cli;

/// <summary>What --json prints when a command fails.</summary>
public sealed record CliError(bool Success, string ErrorType, string ErrorMessage);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CliError))]
[JsonSerializable(typeof(SchemaBuildResult))]
[JsonSerializable(typeof(SchemaInitResult))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
