using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Desired;

/// <summary>
/// Writes and reads the compiled desired model (<c>schema/knowitall.lock.json</c>). The file is deterministic: the
/// same sources compiled on the same server major version give the same bytes, so it can be committed and
/// reviewed like a lock file, and a rebuild that differs means something changed.
/// </summary>
public static class CompiledModelFile
{
    public const string FileName = "knowitall.lock.json";
    public const string Format = "knowitall-desired-model";
    public const int FormatVersion = 1;

    private static readonly CompiledModelJsonContext Json = new(new JsonSerializerOptions(CompiledModelJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static readonly Lazy<string> Shape = new(() => ShapeOf(Json, typeof(CompiledModel)));

    /// <summary>SHA-256 of the model types' JSON shape (every property name and type, recursively): a file written by a
    /// build whose model had other kinds or fields does not match, however its format version reads.</summary>
    public static string CurrentShape => Shape.Value;

    public static string DefaultPath(string schemaDirectory) => Path.Combine(schemaDirectory, FileName);

    public static CompiledModel Compile(SchemaModel model, SchemaSource source, int serverMajorVersion)
    {
        var canonical = Canonical(model);
        return new CompiledModel(Format, FormatVersion, CurrentShape, serverMajorVersion, canonical.Schema, source.Hash,
            source.Files.Select(f => new CompiledSource(f.FileName, f.Sha256)).ToList(), canonical.Fingerprint(), canonical);
    }

    public static byte[] Serialize(CompiledModel compiled)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(compiled, Json.CompiledModel);
        return [.. bytes, (byte)'\n'];
    }

    /// <summary>Reads a compiled model; a file that is not one, or was written in another format or shape, is an error naming it.</summary>
    public static CompiledModel Read(string path)
    {
        CompiledModel? compiled;
        try
        {
            // Parsed as it is read: at 1,000 tables the file is megabytes, which as one array would cost a full collection.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            compiled = JsonSerializer.Deserialize(file, Json.CompiledModel);
        }
        catch (IOException e)
        {
            throw new MigrationException(MigrationErrors.SchemaError, $"cannot read the compiled model {path}: {e.Message}", e);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new MigrationException(MigrationErrors.SchemaError,
                $"{path} is not a compiled desired model ({e.Message}); rebuild it with `knowitall schema build`", e);
        }
        if (compiled is null || compiled.Format != Format || compiled.Model is null || compiled.Sources is null)
            throw new MigrationException(MigrationErrors.SchemaError,
                $"{path} is not a compiled desired model; rebuild it with `knowitall schema build`");
        if (compiled.FormatVersion != FormatVersion || compiled.ModelShape != CurrentShape)
            throw new MigrationException(MigrationErrors.SchemaError,
                $"{path} was written by another version of knowitall (format {compiled.FormatVersion}, model shape {Short(compiled.ModelShape)}; " +
                $"this one reads format {FormatVersion}, shape {Short(CurrentShape)}); rebuild it with `knowitall schema build`");
        return compiled;
    }

    /// <summary>
    /// Why <paramref name="compiled"/> does not stand for <paramref name="source"/> compiled for
    /// <paramref name="targetSchema"/>, naming each changed, added or removed file; null when it does.
    /// </summary>
    public static string? Mismatch(CompiledModel compiled, SchemaSource source, string targetSchema)
    {
        if (compiled.TargetSchema != targetSchema)
            return $"it was compiled for the schema '{compiled.TargetSchema}', not '{targetSchema}'";
        var built = compiled.Sources.ToDictionary(s => s.File, s => s.Sha256, StringComparer.Ordinal);
        var now = source.Files.ToDictionary(f => f.FileName, f => f.Sha256, StringComparer.Ordinal);
        var changes = new List<string>();
        foreach (var (file, sha) in now.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!built.TryGetValue(file, out var was)) changes.Add($"{file} was added");
            else if (was != sha) changes.Add($"{file} changed (sha256 {Short(was)} in the model, {Short(sha)} on disk)");
        }
        changes.AddRange(built.Keys.Where(f => !now.ContainsKey(f)).Order(StringComparer.Ordinal).Select(f => $"{f} was removed"));
        if (changes.Count > 0) return string.Join("; ", changes) + " since the model was compiled";
        return compiled.SourcesSha256 == source.Hash ? null : "its sources hash does not match its file list";
    }

    /// <summary>
    /// Fails unless <paramref name="schemaDirectory"/> holds a compiled model of exactly its files for
    /// <paramref name="targetSchema"/> (what a deployment bundle must carry); needs no database.
    /// </summary>
    public static void EnsureCurrent(string schemaDirectory, string targetSchema)
    {
        var path = DefaultPath(schemaDirectory);
        if (!File.Exists(path))
            throw new MigrationException(MigrationErrors.SchemaError,
                $"there is no compiled model at {path}: run `knowitall schema build` and commit it");
        var compiled = Read(path);
        var problem = Mismatch(compiled, SchemaSource.FromDirectory(schemaDirectory), targetSchema);
        if (problem is null && compiled.Model.Fingerprint() != compiled.ModelFingerprint)
            problem = "its model was edited after it was compiled (the fingerprint does not match)";
        if (problem is not null)
            throw new MigrationException(MigrationErrors.SchemaError,
                $"the compiled model {path} is stale: {problem}; run `knowitall schema build` and commit it");
    }

    /// <summary>The model with every list in a fixed order, so equal models serialise to equal bytes.</summary>
    private static SchemaModel Canonical(SchemaModel model) => model with
    {
        Extensions = [.. model.Extensions.OrderBy(e => e.Name, StringComparer.Ordinal)],
        Sequences = [.. model.Sequences.OrderBy(s => s.Name, StringComparer.Ordinal)],
        Tables = [.. model.Tables.OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => t with { Columns = [.. t.Columns.OrderBy(c => c.Ordinal)] })],
        Indexes = [.. model.Indexes.OrderBy(i => i.Table, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal)],
        Constraints = [.. model.Constraints.OrderBy(c => c.Table, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal)],
        Privileges = [.. model.Privileges.OrderBy(p => p.Key, StringComparer.Ordinal)],
        Schemas = [.. model.Schemas.OrderBy(s => s.Schema, StringComparer.Ordinal).Select(Canonical)],
    };

    private static string ShapeOf(CompiledModelJsonContext context, Type root)
    {
        var text = new StringBuilder();
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>([root]);
        while (pending.TryDequeue(out var type))
        {
            if (!seen.Add(type)) continue;
            var info = context.GetTypeInfo(type) ?? throw new InvalidOperationException($"{type.Name} is not in the compiled model's JSON context");
            text.Append(Name(type)).Append(' ').Append(info.Kind);
            switch (info.Kind)
            {
                case JsonTypeInfoKind.Object:
                    foreach (var property in info.Properties)
                    {
                        text.Append(' ').Append(property.Name).Append(':').Append(Name(property.PropertyType));
                        pending.Enqueue(property.PropertyType);
                    }
                    break;
                case JsonTypeInfoKind.Enumerable:
                    pending.Enqueue(info.ElementType!);
                    break;
                case JsonTypeInfoKind.Dictionary:
                    pending.Enqueue(info.KeyType!);
                    pending.Enqueue(info.ElementType!);
                    break;
            }
            text.Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Name(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(',', type.GetGenericArguments().Select(Name))}>"
        : type.Name;

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
