using KnowItAll.Migrations.Reporting;

namespace KnowItAll.Testing;

/// <summary>A report store in a temporary directory, removed on dispose.</summary>
public sealed class TempReports : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("knowitall-reports-");

    public TempReports() => Store = new DirectoryReportStore(_directory.FullName);

    public string Path => _directory.FullName;

    public DirectoryReportStore Store { get; }

    public void Dispose()
    {
        if (_directory.Exists) _directory.Delete(recursive: true);
    }
}
