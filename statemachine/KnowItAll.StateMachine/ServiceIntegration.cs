namespace KnowItAll.StateMachine;

/// <summary>
/// An optimized service integration resource, <c>arn:aws:states:::SERVICE:ACTION[.PATTERN]</c>, as the history names
/// it: resourceType SERVICE, resource ACTION[.PATTERN].
/// </summary>
public sealed record ServiceIntegration(string Service, string Action)
{
    private const string Prefix = "arn:aws:states:::";

    /// <summary>Lambda's Invoke, plain or with .waitForTaskToken: the executor calls the function named in Parameters.FunctionName.</summary>
    public bool IsLambdaInvoke => Service == "lambda" && Action is "invoke" or "invoke.waitForTaskToken";

    public static ServiceIntegration? Parse(string resource)
    {
        if (!resource.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var parts = resource[Prefix.Length..].Split(':', 2);
        return parts.Length == 2 ? new ServiceIntegration(parts[0], parts[1]) : null;
    }
}
