namespace KnowItAll.Workflow.Functions.Runtime;

/// <summary>The custom runtime's loop: take the next invocation, run the handler named by _HANDLER, answer, repeat.</summary>
public static class LambdaBootstrap
{
    public static async Task<int> RunAsync(Func<string, string?> environment, TextWriter output, CancellationToken cancellationToken)
    {
        var runtimeApi = environment("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrEmpty(runtimeApi))
        {
            await output.WriteLineAsync(
                "AWS_LAMBDA_RUNTIME_API is not set: this program runs inside AWS Lambda (provided.al2023) or under a Runtime API emulator.");
            return 2;
        }
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = new RuntimeApiClient(http, runtimeApi);
        var handler = environment("_HANDLER") ?? "";

        FunctionHost host;
        try
        {
            if (!FunctionCatalog.All.Any(f => f.Name == handler))
                throw new KnowItAll.Migrations.MigrationException("Runtime.UnknownHandler",
                    $"_HANDLER '{handler}' names no function; known: {string.Join(", ", FunctionCatalog.All.Select(f => f.Name))}");
            host = await FunctionHostFactory.CreateAsync(environment, output, http, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var (name, sentence) = Unexpected(e);
            await client.InitErrorAsync(name, sentence, cancellationToken);
            return 1;
        }

        await using (host.Services)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var invocation = await client.NextAsync(cancellationToken);
                // X-Ray instrumentation reads the trace header of the current invocation from here.
                Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.Context.TraceId);
                var outcome = await host.InvokeAsync(handler, invocation.EventJson, invocation.Context, cancellationToken);
                if (outcome.Succeeded) await client.RespondAsync(invocation.RequestId, outcome.OutputJson!, cancellationToken);
                else await client.FailAsync(invocation.RequestId, outcome.ErrorType!, outcome.CallerErrorMessage!, cancellationToken);
            }
        }
        return 0;
    }

    /// <summary>A failure outside any invocation as its stable name and one sentence: Lambda logs it, never a stack trace.</summary>
    public static (string Name, string Sentence) Unexpected(Exception e) => e switch
    {
        KnowItAll.Migrations.MigrationException m => (m.ErrorName, m.Message),
        HttpRequestException => (KnowItAll.Migrations.MigrationErrors.InternalError, $"the Lambda Runtime API cannot be reached: {e.Message}"),
        _ => (KnowItAll.Migrations.MigrationErrors.InternalError, $"{e.GetType().Name}: {e.Message}"),
    };
}
