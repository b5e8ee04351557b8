using System.Text.Json.Serialization;

namespace KnowItAll.Migrations.Reporting;

/// <summary>
/// The execution state of statemachine/migration.asl.json, and its output: the input's fields, each step's digest under
/// its own key, the outcome and the caught error. Notify, the approval commands and the summaries read it through
/// this type; a test proves every <c>$.…</c> path of the definition is one of its properties.
/// </summary>
public sealed record WorkflowState
{
    public WorkflowAction? Action { get; init; }
    public bool DryRun { get; init; }

    /// <summary>The plan the execution was started for (input); any other plan fails it as Migration.PlanStale.</summary>
    public string? PlanHash { get; init; }

    public WorkflowOutcome? Outcome { get; init; }

    /// <summary>Set by the definition's last state on success.</summary>
    public bool? Success { get; init; }

    public ValidationDigest? Validate { get; init; }
    public PlanDigest? Plan { get; init; }
    public ApplyDigest? Apply { get; init; }
    public PermissionDigest? VerifyPermissions { get; init; }
    public NotifyDigest? Notify { get; init; }
    public StepError? Error { get; init; }
    public StepError? NotifyError { get; init; }
    public ApprovalPolicyState? ApprovalPolicy { get; init; }
    public ApprovalDecision? Approval { get; init; }

    /// <summary>Added by Notify's parameters (the context object), never by a step.</summary>
    public ExecutionIdentity? Execution { get; init; }

    /// <summary>The state as its type; a field of the wrong shape is an error naming it, never a guess.</summary>
    public static WorkflowState Read(System.Text.Json.Nodes.JsonObject state)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(state, ReportJsonContext.Default.WorkflowState) ?? new WorkflowState();
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new MigrationException(MigrationErrors.InvalidInput,
                $"the execution state does not match the workflow's contract at {e.Path}: {e.Message}");
        }
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<WorkflowAction>))]
public enum WorkflowAction
{
    [JsonStringEnumMemberName("validate")] Validate,
    [JsonStringEnumMemberName("plan")] Plan,
    [JsonStringEnumMemberName("apply")] Apply,
}

/// <summary>How a successful execution ended (the definition's Pass states write these names).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowOutcome>))]
public enum WorkflowOutcome
{
    [JsonStringEnumMemberName("VALIDATED")] Validated,
    [JsonStringEnumMemberName("NO_CHANGES")] NoChanges,
    [JsonStringEnumMemberName("PLANNED")] Planned,
    [JsonStringEnumMemberName("DRY_RUN")] DryRun,
    [JsonStringEnumMemberName("APPLIED")] Applied,
}

/// <summary>A caught error as Step Functions writes it (Error and Cause, capitalised).</summary>
public sealed record StepError([property: JsonPropertyName("Error")] string? Error, [property: JsonPropertyName("Cause")] string? Cause);

/// <summary>What Notify returns.</summary>
public sealed record NotifyDigest(string? MessageId, string Subject, string Status);

/// <summary>The deployment's approval settings, as the Approval Policy state writes them.</summary>
public sealed record ApprovalPolicyState(string Required, int TimeoutSeconds);

/// <summary>What knowitall workflow approve sends back (SendTaskSuccess's output).</summary>
public sealed record ApprovalDecision(string? PlanHash, string? ApprovedBy, string? ApprovedAt);

/// <summary>The execution, from the context object.</summary>
public sealed record ExecutionIdentity(string? Id, string? Name, string? StartTime);
