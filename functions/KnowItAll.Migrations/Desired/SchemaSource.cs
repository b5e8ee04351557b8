using System.Security.Cryptography;
using System.Text;

namespace KnowItAll.Migrations.Desired;

public sealed record SchemaFile(string Name, string Text);

/// <summary>The desired schema as people wrote it: the <c>*.sql</c> files of one directory, in file-name order.</summary>
public sealed class SchemaSource
{
    private SchemaSource(string origin, IReadOnlyList<SchemaFile> files)
    {
        Origin = origin;
        Files = files;
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\0', files.Select(f => f.Name + "\0" + f.Text)))));
    }

    public string Origin { get; }

    public IReadOnlyList<SchemaFile> Files { get; }

    /// <summary>SHA-256 of the files' names and texts: a cached desired model is valid while this is unchanged.</summary>
    public string Hash { get; }

    public static SchemaSource FromDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new MigrationException(MigrationErrors.InvalidInput, $"schema directory '{directory}' does not exist");
        var paths = Directory.GetFiles(directory, "*.sql").OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        if (paths.Count == 0)
            throw new MigrationException(MigrationErrors.InvalidInput, $"schema directory '{directory}' has no .sql files");
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        return new SchemaSource(directory, paths.Select(p => new SchemaFile($"{name}/{Path.GetFileName(p)}", File.ReadAllText(p))).ToList());
    }

    public static SchemaSource FromFiles(params SchemaFile[] files)
    {
        if (files.Length == 0) throw new MigrationException(MigrationErrors.InvalidInput, "the desired schema has no files");
        return new SchemaSource("memory", files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList());
    }
}
