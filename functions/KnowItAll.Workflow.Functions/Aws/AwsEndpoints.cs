namespace KnowItAll.Workflow.Functions.Aws;

/// <summary>Service endpoints: the regional AWS one, or AWS_ENDPOINT_URL (local emulators, tests) as the AWS SDKs honour it.</summary>
public static class AwsEndpoints
{
    public static Uri For(string service, FunctionEnvironment environment) =>
        environment.AwsEndpointUrl is { } custom ? new Uri(custom.TrimEnd('/') + "/")
        : new Uri($"https://{service}.{environment.Region}.amazonaws.com/");
}
