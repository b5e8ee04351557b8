using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Workflow.Functions;
using KnowItAll.Workflow.Functions.Aws;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary>
/// The Step Functions API for ops (AWSSDK.StepFunctions cannot be restored on our build machines): AWS JSON 1.0,
/// signed with SigV4 by AWSSDK.Core, against AWS or any endpoint (the local one, moto).
/// </summary>
public sealed class StepFunctionsClient(HttpClient http, Uri endpoint, string region, AwsRequestSigner signer)
{
    public static StepFunctionsClient Create(HttpClient http, string? endpointUrl, string? region)
    {
        var resolvedRegion = region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")
            ?? "us-east-1";
        var environment =
            new FunctionEnvironment
            {
                Region = resolvedRegion,
                AwsEndpointUrl = endpointUrl ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL")
            };
        return new StepFunctionsClient(http, AwsEndpoints.For("states", environment), resolvedRegion, new AwsRequestSigner());
    }

    public string Region => region;

    public async Task<JsonObject> CallAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(request.ToJsonString());
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSStepFunctions." + operation);
        await signer.SignAsync(message, body, "states", region, cancellationToken);
        HttpResponseMessage sent;
        try
        {
            sent = await http.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new KnowItAll.Migrations.MigrationException(KnowItAll.Migrations.MigrationErrors.ServiceUnavailable,
                $"cannot reach the Step Functions endpoint {endpoint}: {e.Message}", e);
        }
        using var response = sent;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }
        if (response.IsSuccessStatusCode && json is not null) return json;
        var type = (json?["__type"]?.GetValue<string>() ?? $"HTTP{(int)response.StatusCode}").Split('#')[^1];
        var detail = json?["message"]?.GetValue<string>() ?? json?["Message"]?.GetValue<string>() ?? text;
        throw new StepFunctionsException(type, $"{operation}: {type}: {detail}");
    }
}

public sealed class StepFunctionsException(string type, string message) : Exception(message)
{
    public string Type { get; } = type;
}
