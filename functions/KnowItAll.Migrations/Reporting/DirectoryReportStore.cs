namespace KnowItAll.Migrations.Reporting;

/// <summary>The report store of local runs: one file per key under a directory.</summary>
public sealed class DirectoryReportStore(string root) : IReportStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task<ReportLocation> WriteAsync(string key, byte[] content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written beside and moved into place: a reader never sees half a report.
        var partial = path + ".partial";
        await File.WriteAllBytesAsync(partial, content, cancellationToken);
        File.Move(partial, path, overwrite: true);
        return new ReportLocation(path, content.LongLength);
    }

    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public string Describe(string key) => PathOf(key);

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, key));
        return path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new MigrationException(MigrationErrors.InvalidInput, $"report key '{key}' leaves the report directory");
    }
}
