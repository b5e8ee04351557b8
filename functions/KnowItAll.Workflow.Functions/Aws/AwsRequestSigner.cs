using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Internal.Auth;

namespace KnowItAll.Workflow.Functions.Aws;

/// <summary>
/// Signs HTTP requests with Signature Version 4 using AWSSDK.Core's signer and its default credential chain (in
/// Lambda: the function role's keys from the environment). The canonical request is assembled here; hashing,
/// key derivation and signing are the SDK's.
/// </summary>
public sealed class AwsRequestSigner(AWSCredentials? credentials = null, TimeProvider? time = null)
{
    private AWSCredentials? _credentials = credentials;

    public async Task SignAsync(HttpRequestMessage request, byte[] body, string service, string region, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        _credentials ??= await ResolveAsync(uri, service, cancellationToken);
        var keys = await _credentials.GetCredentialsAsync();
        var now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var amzDate = now.ToString("yyyyMMddTHHmmssZ", System.Globalization.CultureInfo.InvariantCulture);

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            ["x-amz-date"] = amzDate,
        };
        if (request.Content?.Headers.ContentType is { } contentType) headers["content-type"] = contentType.ToString();
        foreach (var header in request.Headers.Where(h => h.Key.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase)))
            headers[header.Key.ToLowerInvariant()] = string.Join(",", header.Value);
        if (!string.IsNullOrEmpty(keys.Token)) headers["x-amz-security-token"] = keys.Token;

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath).Append('\n')
            .Append(CanonicalQuery(uri.Query)).Append('\n');
        foreach (var (name, value) in headers) canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Convert.ToHexStringLower(AWS4Signer.ComputeHash(body)));

        var result = AWS4Signer.ComputeSignature(keys, region, now, service, signedHeaders, canonical.ToString());
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (!string.IsNullOrEmpty(keys.Token)) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", keys.Token);
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    /// <summary>
    /// The default chain's credentials. A loopback endpoint (workflow serve, moto) checks no signature, so without
    /// credentials it is signed with placeholder keys; anywhere else their absence is a named error saying what to set.
    /// </summary>
    private static async Task<AWSCredentials> ResolveAsync(Uri uri, string service, CancellationToken cancellationToken)
    {
        try
        {
            return await new DefaultAWSCredentialsIdentityResolver().ResolveIdentityAsync(null!, cancellationToken);
        }
        catch (AmazonClientException) when (uri.IsLoopback)
        {
            return new BasicAWSCredentials(LoopbackKey, LoopbackKey);
        }
        catch (AmazonClientException)
        {
            throw new KnowItAll.Migrations.MigrationException(KnowItAll.Migrations.MigrationErrors.CredentialsMissing,
                $"no AWS credentials were found for {service} at {uri.Host}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or " +
                "run with a role");
        }
    }

    private const string LoopbackKey = "loopback";

    private static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
}
