using KnowItAll.Migrations;
using System.Text.Json.Nodes;
using KnowItAll.StateMachine;
using KnowItAll.Workflow.Functions;
using KnowItAll.Workflow.Functions.Runtime;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary>Resolves the definition's Task states to the same handlers the bootstrap runs, in this process.</summary>
public sealed class FunctionTaskInvoker(FunctionHost? host, string environment) : ITaskInvoker
{
    private readonly Dictionary<string, string> _functions =
        FunctionCatalog.All.ToDictionary(f => WorkflowDefinition.FunctionArn(environment, f.Name), f => f.Name, StringComparer.Ordinal);

    public async Task<JsonNode?> InvokeAsync(string resource, JsonNode? input, TaskContext context, CancellationToken cancellationToken)
    {
        if (!_functions.TryGetValue(resource, out var function))
            throw new TaskFailedException("Lambda.ResourceNotFoundException", $"no function for {resource}");
        if (host is null)
            throw new TaskFailedException(MigrationErrors.NotMocked,
                $"state '{context.StateName}' is not mocked by the test case and this run has no database");
        var outcome = await host.InvokeAsync(function, input?.ToJsonString() ?? "{}",
            new InvocationContext(Guid.NewGuid().ToString(), null, null, resource, context.ExecutionArn), cancellationToken);
        // Step Functions reports a Lambda failure with the function's error body as the Cause.
        return outcome.Succeeded
            ? JsonNode.Parse(outcome.OutputJson!)
            : throw new TaskFailedException(outcome.ErrorType!, RuntimeApiClient.ErrorBody(outcome.ErrorType!, outcome.CallerErrorMessage!));
    }
}
