using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations;
using Npgsql;

namespace KnowItAll.Workflow.Functions.Aws;

/// <summary>
/// The database credentials from a Secrets Manager secret in the RDS format (host, port, username, password,
/// dbname), fetched with a signed GetSecretValue, cached for the container and fetched again when asked to
/// refresh after a rejected login. The secret is never logged.
/// </summary>
public sealed class SecretsManagerCredentials(HttpClient http, AwsRequestSigner signer, FunctionEnvironment environment, string secretArn)
    : IDatabaseCredentials
{
    private string? _cached;

    public async Task<string> GetConnectionStringAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (_cached is not null && !refresh) return _cached;
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["SecretId"] = secretArn }.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, AwsEndpoints.For("secretsmanager", environment))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager.GetSecretValue");
        await signer.SignAsync(request, body, "secretsmanager", environment.Region, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new MigrationException(MigrationErrors.DatabaseUnavailable,
                $"could not read the database secret ({(int)response.StatusCode} {AwsError(text)})");
        _cached = ToConnectionString(JsonNode.Parse(text)?["SecretString"]?.GetValue<string>()
            ?? throw new MigrationException(MigrationErrors.DatabaseUnavailable, "the database secret has no SecretString"));
        return _cached;
    }

    /// <summary>The RDS secret format as an Npgsql connection string.</summary>
    public static string ToConnectionString(string secretJson)
    {
        JsonNode? secret;
        try
        {
            secret = JsonNode.Parse(secretJson);
        }
        catch (JsonException)
        {
            throw new MigrationException(MigrationErrors.DatabaseUnavailable,
                "the database secret is not JSON in the RDS format (host, port, username, password, dbname)");
        }
        string Field(string name) => secret?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
            : throw new MigrationException(MigrationErrors.DatabaseUnavailable, $"the database secret has no '{name}'");
        var port = secret?["port"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<int>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), out var p) => p,
            _ => 5432,
        };
        return new NpgsqlConnectionStringBuilder
        {
            Host = Field("host"),
            Port = port,
            Username = Field("username"),
            Password = Field("password"),
            Database = secret?["dbname"] is JsonValue db && db.GetValueKind() == JsonValueKind.String ? db.GetValue<string>() : "postgres",
            SslMode = SslMode.Prefer,
        }.ConnectionString;
    }

    internal static string AwsError(string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            return $"{node?["__type"]?.GetValue<string>()}: {node?["message"]?.GetValue<string>() ?? node?["Message"]?.GetValue<string>()}";
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
