using KnowItAll.StateMachine;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary>
/// <c>workflow run --require-approval</c>: when the execution parks at the approval task, shows the plan and asks on the
/// terminal, then answers the task as <c>workflow approve | reject</c> would. No answer (end of input) rejects.
/// </summary>
public sealed class TerminalApprover(TaskTokens tokens, TextWriter output, TextReader input)
{
    private PendingApproval? _scheduled;

    public Task? Asking { get; private set; }

    public void OnEvent(HistoryEvent e)
    {
        if (e.Type == "TaskScheduled")
            _scheduled = PendingApproval.FromScheduled(e.StateName!, e.Details["resource"]?.GetValue<string>(),
                e.Details["parameters"]?.GetValue<string>());
        // Submitted: the request went out and the task now waits, so a decision can settle it.
        else if (e.Type == "TaskSubmitted" && _scheduled is { } pending && pending.StateName == e.StateName)
        {
            _scheduled = null;
            Asking = Task.Run(() => AskAsync(pending));
        }
    }

    private async Task AskAsync(PendingApproval pending)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync("The plan waits for approval:");
        foreach (var line in pending.Describe()) await output.WriteLineAsync("  " + line);
        await output.WriteAsync($"Apply plan {pending.PlanHash} to {pending.Environment}? [y/N] ");
        await output.FlushAsync();
        var answer = await input.ReadLineAsync();
        try
        {
            if (PendingApproval.IsYes(answer))
            {
                // Written before the answer: the execution is parked until then, so nothing else writes meanwhile.
                await output.WriteLineAsync($"approving plan {pending.PlanHash}");
                tokens.Succeed(pending.TaskToken, pending.ApprovalOutput(PendingApproval.Person(), DateTimeOffset.UtcNow));
            }
            else
            {
                await output.WriteLineAsync($"rejecting plan {pending.PlanHash}: nothing is applied");
                tokens.Fail(pending.TaskToken, PendingApproval.RejectionError,
                    pending.RejectionCause(answer is null ? "no answer on the terminal" : "answered no on the terminal", PendingApproval.Person()));
            }
        }
        catch (TaskTokenException e)
        {
            await output.WriteLineAsync($"the approval request closed before the answer: {e.Message}");
        }
    }
}
