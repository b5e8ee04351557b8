using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using KnowItAll.Workflow.Cli.Workflow;

namespace KnowItAll.Workflow.Cli.Tests;

/// <summary>
/// Each command's failure paths end in one line, <c>error: Migration.Name: sentence</c>, and a failure exit code:
/// never a stack trace or .NET's "Unhandled exception".
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class FailurePathTests(PostgresFixture pg, MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly string Arn = WorkflowService.StateMachineArn;

    private static string ClosedEndpoint()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
    }

    [GeneratedRegex(@"^error: Migration\.[A-Za-z]+: \S")]
    private static partial Regex NamedError();

    /// <summary>One error line naming a Migration.* error, no stack frame, and the exit code.</summary>
    private static void AssertNamedFailure(int exit, string stderr, string error, int expectedExit = 1)
    {
        Assert.True(exit == expectedExit, $"exit {exit}: {stderr}");
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr);
        var errors = stderr.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, stderr);
        Assert.Matches(NamedError(), errors[0]);
        Assert.StartsWith($"error: {error}: ", errors[0]);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await KnowItAllCli.RunAsync(args, stdout, stderr, new StringReader(""));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task An_unreachable_database_is_named_by_every_engine_command()
    {
        var closed = new Uri(ClosedEndpoint());
        var connection = $"Host=127.0.0.1;Port={closed.Port};Username=u;Password=pw-never-shown;Database=d;Timeout=2";
        foreach (var command in new[] { "validate", "plan", "apply", "verify-permissions", "history" })
        {
            var (exit, stdout, stderr) = await RunAsync(command, "--connection", connection);
            AssertNamedFailure(exit, stderr, "Migration.DatabaseUnavailable");
            Assert.DoesNotContain("pw-never-shown", stdout + stderr);
        }
        var (runExit, runOut, runErr) = await RunAsync("workflow", "run", "--connection", connection);
        Assert.Equal(1, runExit);
        Assert.Contains("Migration.DatabaseUnavailable", runOut + runErr);
        Assert.DoesNotContain("   at ", runOut + runErr);
        Assert.DoesNotContain("pw-never-shown", runOut + runErr);
    }

    [Fact]
    public async Task Step_functions_commands_name_bad_arns_and_unreachable_endpoints()
    {
        var closed = ClosedEndpoint();
        var (badArn, _, badArnErr) = await RunAsync("workflow", "start", "--state-machine-arn", "arn:aws:states:nowhere");
        AssertNamedFailure(badArn, badArnErr, "Migration.InvalidInput", WorkflowService.ExitUsage);
        var (badExecution, _, badExecutionErr) = await RunAsync("workflow", "approve", "arn:aws:states:us-east-1:123456789012:stateMachine:m",
            "--yes");
        AssertNamedFailure(badExecution, badExecutionErr, "Migration.InvalidInput", WorkflowService.ExitUsage);
        var (badHash, _, badHashErr) = await RunAsync("workflow", "start", "--state-machine-arn", Arn, "--plan-hash", "0000deadbeef");
        AssertNamedFailure(badHash, badHashErr, "Migration.InvalidInput", WorkflowService.ExitUsage);

        foreach (var args in new[]
                 {
                     new[] { "workflow", "start", "--state-machine-arn", Arn, "--endpoint-url", closed },
                     ["workflow", "approve", "exec-1", "--yes", "--endpoint-url", closed],
                     ["workflow", "reject", "exec-1", "--reason", "not now", "--endpoint-url", closed],
                 })
        {
            var (exit, _, stderr) = await RunAsync(args);
            AssertNamedFailure(exit, stderr, "Migration.ServiceUnavailable");
        }
    }

    [Fact]
    public async Task Report_names_s3_errors_and_unreachable_stores()
    {
        var (missing, _, missingErr) = await RunAsync("report", "local-1", "--bucket", "no-such-bucket", "--endpoint-url", moto.Endpoint);
        AssertNamedFailure(missing, missingErr, "Migration.ReportStoreFailed");
        Assert.Contains("NoSuchBucket", missingErr);

        var (unreachable, _, unreachableErr) = await RunAsync("report", "local-1", "--bucket", "b", "--endpoint-url", ClosedEndpoint());
        AssertNamedFailure(unreachable, unreachableErr, "Migration.ReportStoreFailed");
        Assert.Contains("cannot reach S3", unreachableErr);

        var (badInput, _, badInputErr) = await RunAsync("workflow", "run", "--input", "{not json");
        AssertNamedFailure(badInput, badInputErr, "Migration.InvalidInput");
    }

    /// <summary>The CLI as a process with no AWS credentials anywhere (no variables, no profile, no instance metadata).</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> WithoutCredentialsAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "knowitall.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var name in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL" })
            info.Environment.Remove(name);
        var home = Directory.CreateTempSubdirectory("knowitall-no-aws-");
        info.Environment["HOME"] = home.FullName;
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home.FullName, "none");
        info.Environment["AWS_CONFIG_FILE"] = Path.Combine(home.FullName, "none");
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        home.Delete(true);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Without_credentials_aws_is_refused_in_one_line_and_a_loopback_endpoint_works()
    {
        var (start, _, startErr) = await WithoutCredentialsAsync("workflow", "start", "--state-machine-arn", Arn);
        AssertNamedFailure(start, startErr, "Migration.CredentialsMissing");
        Assert.Contains("AWS_ACCESS_KEY_ID", startErr);
        var (approve, _, approveErr) = await WithoutCredentialsAsync("workflow", "approve", "exec-1", "--yes");
        AssertNamedFailure(approve, approveErr, "Migration.CredentialsMissing");
        var (report, _, reportErr) = await WithoutCredentialsAsync("report", "local-1", "--bucket", "b");
        AssertNamedFailure(report, reportErr, "Migration.CredentialsMissing");

        var db = await pg.NewDatabaseAsync();
        await using var served = await WorkflowServiceTests.ServeAsync(db);
        var (local, localOut, localErr) = await WithoutCredentialsAsync("workflow", "start", "--state-machine-arn", Arn, "--endpoint-url",
            served.Endpoint,
            "--input", """{"action": "validate"}""", "--wait");
        Assert.True(local == 0, localOut + localErr);
        Assert.Contains("outcome: VALIDATED", localOut);
    }
}
