namespace KnowItAll.Migrations.Reporting;

/// <summary>
/// Where full reports live: an S3 bucket on AWS, a directory locally. Keys are relative paths with forward
/// slashes (see <see cref="ReportKeys"/>).
/// </summary>
public interface IReportStore
{
    /// <summary>Writes (or replaces) one report and returns where a person finds it.</summary>
    Task<ReportLocation> WriteAsync(string key, byte[] content, CancellationToken cancellationToken);

    /// <summary>The report's bytes, or null when there is none under that key.</summary>
    Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Where a key is (an s3:// URI or a file path), for messages that name it.</summary>
    string Describe(string key);
}
