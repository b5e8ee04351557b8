using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Desired;

/// <summary>A schema file a model was compiled from, by name (without its directory) and the SHA-256 of its bytes.</summary>
public sealed record CompiledSource(string File, string Sha256);

/// <summary>
/// The desired model compiled once from schema/ by a real PostgreSQL, with everything needed to tell whether it
/// still stands for the files beside it: the file format and the shape of the model types it was written with,
/// the server major version that normalised it, the target schema, and the SHA-256 of every source file.
/// </summary>
public sealed record CompiledModel(
    string Format,
    int FormatVersion,
    string ModelShape,
    int ServerMajorVersion,
    string TargetSchema,
    string SourcesSha256,
    IReadOnlyList<CompiledSource> Sources,
    string ModelFingerprint,
    SchemaModel Model);
