using System.Diagnostics;
using System.Text.Json.Nodes;

namespace KnowItAll.Workflow.Functions.Tests;

/// <summary>The Native AOT bootstrap, as Lambda runs it: a process talking to the Runtime API over HTTP.</summary>
[Collection(PostgresCollection.Name)]
public sealed class NativeBootstrapTests(PostgresFixture pg)
{
    public static string BootstrapPath =>
        Environment.GetEnvironmentVariable("KNOWITALL_BOOTSTRAP") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Repo.Root, "functions", "KnowItAll.Workflow.Functions", "bin", "aot", "bootstrap");

    private static Process Launch(FakeRuntimeApi api, IReadOnlyDictionary<string, string> environment)
    {
        Assert.True(File.Exists(BootstrapPath),
            $"no Native AOT bootstrap at {BootstrapPath}: bash tests/run.sh publishes it (tests/run.d/10-bootstrap.sh)");
        var info = new ProcessStartInfo(BootstrapPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["AWS_LAMBDA_RUNTIME_API"] = api.Address;
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [Fact]
    public async Task The_native_bootstrap_handles_invocations_and_reports_init_errors()
    {
        var db = await pg.NewDatabaseAsync();
        await using (var api = new FakeRuntimeApi())
        {
            using var process = Launch(api, new Dictionary<string, string>
            {
                ["_HANDLER"] = "Validate", ["DB_CONNECTION_STRING"] = db, ["KNOWITALL_SCHEMA_DIR"] = Repo.SchemaDirectory,
            });
            try
            {
                var first = api.Enqueue("{}");
                var second = api.Enqueue("{\"broken");
                Assert.True(await api.WaitForAnswerAsync(first, TimeSpan.FromSeconds(60)));
                Assert.True(await api.WaitForAnswerAsync(second, TimeSpan.FromSeconds(60)));
                Assert.False(JsonNode.Parse(api.Responses[first])!["schema_valid"]!.GetValue<bool>());
                Assert.Equal("Migration.InvalidInput", api.Errors[second].Type);
            }
            finally
            {
                process.Kill();
            }
        }

        await using (var api = new FakeRuntimeApi())
        {
            using var process = Launch(api, new Dictionary<string, string> { ["_HANDLER"] = "Nope" });
            var (type, _) = await api.InitError.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("Runtime.UnknownHandler", type);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(1, process.ExitCode);
        }
    }

    [Fact]
    public async Task An_unreachable_runtime_api_ends_the_process_with_one_named_line_and_no_stack_trace()
    {
        Assert.True(File.Exists(BootstrapPath),
            $"no Native AOT bootstrap at {BootstrapPath}: bash tests/run.sh publishes it (tests/run.d/10-bootstrap.sh)");
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var closed = $"127.0.0.1:{((System.Net.IPEndPoint)probe.LocalEndpoint).Port}";
        probe.Stop();
        var info = new ProcessStartInfo(BootstrapPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["AWS_LAMBDA_RUNTIME_API"] = closed;
        info.Environment["_HANDLER"] = "Validate";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var all = await stdout + await stderr;

        Assert.Equal(1, process.ExitCode);
        Assert.DoesNotContain("   at ", all);
        Assert.DoesNotContain("Unhandled exception", all);
        Assert.StartsWith("error: Migration.InternalError: the Lambda Runtime API cannot be reached", (await stderr).Trim());
    }
}
