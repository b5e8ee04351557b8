using System.Net;
using System.Net.Http.Headers;
using Amazon.Runtime.Internal.Auth;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Reporting;

namespace KnowItAll.Workflow.Functions.Aws;

/// <summary>
/// The report store on AWS: PutObject and GetObject on one bucket under a prefix, signed with SigV4 through
/// AWSSDK.Core (AWSSDK.S3 is not available to this build). Virtual-hosted URLs on AWS; path-style when an
/// endpoint is configured (moto, LocalStack), as the AWS SDKs do.
/// </summary>
public sealed class S3ReportStore(HttpClient http, AwsRequestSigner signer, FunctionEnvironment environment, string bucket, string prefix)
    : IReportStore
{
    public async Task<ReportLocation> WriteAsync(string key, byte[] content, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Put, key, content);
        request.Content = new ByteArrayContent(content);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await signer.SignAsync(request, content, "s3", environment.Region, cancellationToken);
        using var response = await SendAsync(request, key, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new MigrationException(MigrationErrors.ReportStoreFailed,
                $"could not write the report {Describe(key)}: {(int)response.StatusCode} {await ErrorCodeAsync(response, cancellationToken)}");
        return new ReportLocation(Describe(key), content.LongLength);
    }

    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, key, []);
        await signer.SignAsync(request, [], "s3", environment.Region, cancellationToken);
        using var response = await SendAsync(request, key, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // S3 answers 404 for a missing bucket too: only a missing key means "no such report".
            var code = await ErrorCodeAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound && code == "NoSuchKey") return null;
            throw new MigrationException(MigrationErrors.ReportStoreFailed,
                $"could not read the report {Describe(key)}: {(int)response.StatusCode} {code}");
        }
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new MigrationException(MigrationErrors.ReportStoreFailed,
                $"cannot reach S3 at {request.RequestUri!.GetLeftPart(UriPartial.Authority)} for {Describe(key)}: {e.Message}", e);
        }
    }

    public string Describe(string key) => $"s3://{bucket}/{ObjectKey(key)}";

    private HttpRequestMessage Request(HttpMethod method, string key, byte[] body)
    {
        var objectKey = ObjectKey(key);
        var uri = environment.AwsEndpointUrl is { } endpoint
            ? new Uri($"{endpoint.TrimEnd('/')}/{bucket}/{objectKey}")
            : new Uri($"https://{bucket}.s3.{environment.Region}.amazonaws.com/{objectKey}");
        var request = new HttpRequestMessage(method, uri);
        // S3 requires the payload hash as a header of its own, and it is part of the signature.
        request.Headers.TryAddWithoutValidation("X-Amz-Content-SHA256", Convert.ToHexStringLower(AWS4Signer.ComputeHash(body)));
        return request;
    }

    private string ObjectKey(string key) => prefix.Length == 0 ? key : $"{prefix.Trim('/')}/{key}";

    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            var code = System.Xml.Linq.XDocument.Parse(text).Root?.Element("Code")?.Value;
            return code ?? DigestBuilder.Cut(text, 200);
        }
        catch (System.Xml.XmlException)
        {
            return DigestBuilder.Cut(text, 200);
        }
    }
}
