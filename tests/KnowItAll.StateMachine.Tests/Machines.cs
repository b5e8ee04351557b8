using System.Text.Json.Nodes;
using Moq;

namespace KnowItAll.StateMachine.Tests;

/// <summary>Builds executors for small definitions, with a mocked task invoker and delays that are recorded instead of slept.</summary>
public sealed class Machines
{
    public Mock<ITaskInvoker> Invoker { get; } = new();

    public List<TimeSpan> Delays { get; } = [];

    public StateMachineExecutor For(string json, MockConfig? mocks = null, string? testCase = null, string name = "StateMachine") =>
        new(StateMachineDefinition.Load(json, new Dictionary<string, string>()), Invoker.Object, new ExecutorOptions
        {
            StateMachineName = name,
            Mocks = mocks,
            TestCase = testCase,
            Delay = (span, _) =>
            {
                Delays.Add(span);
                return Task.CompletedTask;
            },
        });

    public void Returns(string resource, Func<JsonNode?, JsonNode?> body) =>
        Invoker.Setup(i => i.InvokeAsync(resource, It.IsAny<JsonNode?>(), It.IsAny<TaskContext>(), It.IsAny<CancellationToken>()))
            .Returns((string _, JsonNode? input, TaskContext _, CancellationToken _) => Task.FromResult(body(input)));

    public static string Repo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KnowItAll.Workflow.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }
}
