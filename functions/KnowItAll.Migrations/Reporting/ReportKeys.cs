using System.Text.RegularExpressions;

namespace KnowItAll.Migrations.Reporting;

/// <summary>
/// The report store's layout: <c>executions/NAME/STEP.json</c> for each step of an execution, and
/// <c>plans/HASH.json</c> for every plan, so a plan can be found by the hash an approval or an apply names.
/// </summary>
public static partial class ReportKeys
{
    public const string Validate = "validate";
    public const string Plan = "plan";
    public const string Apply = "apply";
    public const string VerifyPermissions = "verify_permissions";

    /// <summary>Every step that writes a report, in workflow order.</summary>
    public static readonly IReadOnlyList<string> Steps = [Validate, Plan, Apply, VerifyPermissions];

    /// <summary>The keys one step writes, as patterns (<c>*</c> is any execution name or plan hash): what its IAM policy allows.</summary>
    public static IReadOnlyList<string> WrittenBy(string step) => step == Plan
        ? [$"executions/*/{step}.json", "plans/*.json"]
        : [$"executions/*/{step}.json"];

    public static string ForStep(string executionName, string step)
    {
        if (!IsExecutionName(executionName))
            throw new MigrationException(MigrationErrors.InvalidInput,
                $"execution name '{DigestBuilder.Cut(executionName, 100)}' must be 1-80 letters, digits, '.', '-' or '_'");
        return $"executions/{executionName}/{step}.json";
    }

    public static string ForPlan(string planHash) => Planning.PlanHasher.IsWellFormed(planHash)
        ? $"plans/{planHash}.json"
        : throw new MigrationException(MigrationErrors.InvalidInput, $"'{DigestBuilder.Cut(planHash, 100)}' is not a 64-character hex plan hash");

    public static bool IsExecutionName(string name) => ExecutionName().IsMatch(name);

    /// <summary>An execution ARN's last segment is its name; a name is returned as it is.</summary>
    public static string ExecutionNameOf(string nameOrArn) =>
        nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn[(nameOrArn.LastIndexOf(':') + 1)..] : nameOrArn;

    [GeneratedRegex(@"^(?!\.+$)[A-Za-z0-9._-]{1,80}$")]
    private static partial Regex ExecutionName();
}
