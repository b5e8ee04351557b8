using System.Globalization;

namespace KnowItAll.Workflow.Functions;

/// <summary>
/// Whether an environment's applies wait for a person to approve the exact plan, and for how long: the definition's
/// <c>${RequireApproval}</c> and <c>${ApprovalTimeoutSeconds}</c>, filled by the CDK app from cdk/environments.json and
/// by <c>workflow run</c> / <c>workflow serve</c> from <c>--require-approval</c>. A deployment setting, never execution input.
/// </summary>
public sealed record ApprovalPolicy
{
    public const int DefaultTimeoutSeconds = 24 * 3600;

    /// <summary>The definition's execution timeout (TimeoutSeconds) leaves two hours after the longest wait.</summary>
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    public static readonly ApprovalPolicy None = new(false);

    public ApprovalPolicy(bool required, int timeoutSeconds = DefaultTimeoutSeconds)
    {
        if (timeoutSeconds is < 1 or > MaxTimeoutSeconds)
            throw new ArgumentOutOfRangeException(nameof(timeoutSeconds), timeoutSeconds,
                $"the approval timeout must be 1 to {MaxTimeoutSeconds} seconds (7 days)");
        Required = required;
        TimeoutSeconds = timeoutSeconds;
    }

    public bool Required { get; }

    public int TimeoutSeconds { get; }

    public void AddTo(IDictionary<string, string> substitutions)
    {
        substitutions["RequireApproval"] = Required ? "true" : "false";
        substitutions["ApprovalTimeoutSeconds"] = TimeoutSeconds.ToString(CultureInfo.InvariantCulture);
    }
}
