using KnowItAll.Migrations.Reporting;
using KnowItAll.Workflow.Functions.Handlers;

namespace KnowItAll.Workflow.Functions;

/// <summary>What the CDK app needs to deploy one function, and the handler that runs it. <see cref="ReportStep"/> names the reports it writes (its
/// only S3 permission).</summary>
public sealed record FunctionDefinition(
    string Name,
    string Description,
    int MemoryMb,
    int TimeoutSeconds,
    bool ConnectsToDatabase,
    bool PublishesNotifications,
    string? ReportStep,
    Func<IFunctionHandler> Handler)
{
    /// <summary>The placeholder the state machine definition uses for this function's ARN.</summary>
    public string ArnPlaceholder => Name + "FunctionArn";
}

/// <summary>
/// THE list of functions: adding one is a handler class and a line here. The bootstrap dispatches on it (by <c>_HANDLER</c>), the CDK app deploys one
/// Lambda
/// per entry, and the local executor substitutes <c>${NameFunctionArn}</c> from it.
/// </summary>
public static class FunctionCatalog
{
    public static readonly IReadOnlyList<FunctionDefinition> All =
    [
        new("Validate", "Compares schema/ with the live database", 512, 60, ConnectsToDatabase: true, PublishesNotifications: false,
            ReportKeys.Validate, () => new ValidateHandler()),
        new("Plan", "Turns the difference into ordered, additive SQL with locks and hazards", 512, 60, ConnectsToDatabase: true,
            PublishesNotifications: false, ReportKeys.Plan, () => new PlanHandler()),
        new("Apply", "Applies the plan under an advisory lock, in one transaction, with retries", 1024, 840, ConnectsToDatabase: true,
            PublishesNotifications: false, ReportKeys.Apply, () => new ApplyHandler()),
        new("VerifyPermissions", "Proves the application role can use what was created", 512, 60, ConnectsToDatabase: true,
            PublishesNotifications: false, ReportKeys.VerifyPermissions, () => new VerifyPermissionsHandler()),
        new("Notify", "Tells SNS subscribers what happened", 256, 30, ConnectsToDatabase: false, PublishesNotifications: true, ReportStep: null,
            () => new NotifyHandler()),
    ];
}
