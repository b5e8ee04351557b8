using System.CommandLine;
using KnowItAll.Workflow.Functions;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary><c>--require-approval</c> and <c>--approval-timeout</c> of <c>workflow run</c> and <c>workflow serve</c>: what cdk/environments.json sets
/// for a deployed environment.</summary>
public sealed class ApprovalOptions
{
    public Option<bool> Require { get; } = new("--require-approval")
    {
        Description = "Applies wait after Plan until the plan is approved (workflow approve | reject; workflow run asks on the terminal)",
    };

    public Option<int> Timeout { get; } = new("--approval-timeout")
    {
        Description = $"Seconds to wait for a decision before failing with Migration.ApprovalTimedOut (1 to {ApprovalPolicy.MaxTimeoutSeconds})",
        DefaultValueFactory = _ => ApprovalPolicy.DefaultTimeoutSeconds,
    };

    public ApprovalOptions()
    {
        Timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > ApprovalPolicy.MaxTimeoutSeconds)
                result.AddError($"--approval-timeout must be 1 to {ApprovalPolicy.MaxTimeoutSeconds} seconds");
        });
    }

    public ApprovalPolicy Policy(ParseResult result) => new(result.GetValue(Require), result.GetValue(Timeout));
}
