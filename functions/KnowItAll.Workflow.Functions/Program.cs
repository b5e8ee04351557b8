using KnowItAll.Workflow.Functions.Runtime;

// Not disposed: ProcessExit can fire after Main returns, and cancelling a disposed source would abort the process.
var stop = new CancellationTokenSource();
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    return await LambdaBootstrap.RunAsync(Environment.GetEnvironmentVariable, Console.Out, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 0;
}
catch (Exception e)
{
    var (name, sentence) = LambdaBootstrap.Unexpected(e);
    await Console.Error.WriteLineAsync($"error: {name}: {sentence}");
    return 1;
}
