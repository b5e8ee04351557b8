using System.Security.Cryptography;
using System.Text;

namespace KnowItAll.Migrations.Desired;

/// <summary>One schema file: its name (directory/file), its text, and the SHA-256 of its bytes as they are on disk.</summary>
public sealed record SchemaFile(string Name, string Text)
{
    public string Sha256 { get; init; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    /// <summary>The file's name without its directory, as a compiled model lists it.</summary>
    public string FileName => Name[(Name.LastIndexOf('/') + 1)..];
}

/// <summary>The desired schema as people wrote it: the <c>*.sql</c> files of one directory, in file-name order.</summary>
public sealed class SchemaSource
{
    private SchemaSource(string origin, string? directory, IReadOnlyList<SchemaFile> files)
    {
        Origin = origin;
        Directory = directory;
        Files = files;
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', files.Select(f => f.FileName + " " + f.Sha256)))));
    }

    public string Origin { get; }

    /// <summary>The directory the files were read from (null for files given in memory).</summary>
    public string? Directory { get; }

    public IReadOnlyList<SchemaFile> Files { get; }

    /// <summary>SHA-256 over every file's name and SHA-256: a compiled desired model is valid while this is unchanged.</summary>
    public string Hash { get; }

    public static SchemaSource FromDirectory(string directory) => Read(directory, ListFiles(directory));

    /// <summary>
    /// Checks the directory and lists its files now (a missing directory or one without .sql files fails here, before
    /// anything else), and reads and hashes them on the thread pool: a cold call does that while it connects.
    /// </summary>
    public static Task<SchemaSource> StartReading(string directory)
    {
        var paths = ListFiles(directory);
        return Task.Run(() => Read(directory, paths));
    }

    private static List<string> ListFiles(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new MigrationException(MigrationErrors.InvalidInput, $"schema directory '{directory}' does not exist");
        var paths = System.IO.Directory.GetFiles(directory, "*.sql").OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        if (paths.Count == 0)
            throw new MigrationException(MigrationErrors.InvalidInput, $"schema directory '{directory}' has no .sql files");
        return paths;
    }

    private static SchemaSource Read(string directory, List<string> paths)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        return new SchemaSource(directory, directory, paths.Select(p => Read(p, $"{name}/{Path.GetFileName(p)}")).ToList());
    }

    public static SchemaSource FromFiles(params SchemaFile[] files)
    {
        if (files.Length == 0) throw new MigrationException(MigrationErrors.InvalidInput, "the desired schema has no files");
        return new SchemaSource("memory", null, files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList());
    }

    private static SchemaFile Read(string path, string name)
    {
        var bytes = File.ReadAllBytes(path);
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return new SchemaFile(name, reader.ReadToEnd()) { Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
    }
}
