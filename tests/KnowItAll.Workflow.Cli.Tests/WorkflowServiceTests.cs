using System.Text.RegularExpressions;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using KnowItAll.Workflow.Cli.Workflow;

namespace KnowItAll.Workflow.Cli.Tests;

/// <summary>
/// knowitall workflow serve on a real PostgreSQL, driven by the pipeline's own start-and-poll script through the AWS
/// CLI, by knowitall workflow start, and by malformed requests; workflow start against moto for protocol compatibility.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkflowServiceTests(PostgresFixture pg, MotoServer moto) : IClassFixture<MotoServer>
{
    private static readonly string Script = Path.Combine(Repo.Root, "cdk", "scripts", "start-migration.sh");
    private static readonly string Arn = WorkflowService.StateMachineArn;

    internal sealed class Served(CancellationTokenSource stop, Task<int> serving, string endpoint) : IAsyncDisposable
    {
        public string Endpoint => endpoint;

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            Assert.Equal(0, await serving);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    internal static async Task<Served> ServeAsync(string db, params string[] options)
    {
        // A free port can be taken by another process between the probe and the bind: then serve exits, and the
        // test tries another port rather than waiting on whatever answers there now.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var stop = new CancellationTokenSource();
            var output = new StringWriter();
            var serving = Task.Run(() => KnowItAllCli.RunAsync(["workflow", "serve", "--port", port.ToString(), "--connection", db, .. options],
                output, TextWriter.Null, stop.Token));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            for (var i = 0; i < 300 && !serving.IsCompleted; i++)
            {
                if (!output.ToString().Contains("Step Functions endpoint", StringComparison.Ordinal))
                {
                    await Task.Delay(100);
                    continue;
                }
                try
                {
                    await http.PostAsync($"http://127.0.0.1:{port}/", new StringContent("{}"));
                    return new Served(stop, serving, $"http://127.0.0.1:{port}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    await Task.Delay(100);
                }
            }
            await stop.CancelAsync();
            await serving;
        }
        throw new TimeoutException("workflow serve did not start on any of 3 ports");
    }

    internal static async Task<(int Exit, string Output)> ProcessAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        info.Environment.Remove("CODEBUILD_BUILD_ID");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    internal static Task<(int, string)> ScriptAsync(params string[] args) => ProcessAsync("bash", [Script, .. args]);

    [Fact]
    public async Task The_pipeline_script_applies_through_the_aws_cli_and_a_retried_build_starts_one_execution()
    {
        var db = await pg.NewDatabaseAsync();
        await using var served = await ServeAsync(db);

        var (exit, output) = await ScriptAsync("--state-machine-arn", Arn, "--endpoint-url", served.Endpoint, "--build-id",
            "tutor-pipeline:7f3c-build-12", "--interval", "1");
        Assert.True(exit == 0, output);
        Assert.Contains("status: SUCCEEDED", output);
        Assert.Contains("outcome: APPLIED", output);
        Assert.Matches(@"applied: .*\b4 table\b", output);
        Assert.Matches(@"plan [0-9a-f]{12}: \d+ statements", output);
        Assert.Contains("report (plan): ", output);
        Assert.Contains("permissions of tutor_app: all present", output);
        Assert.Contains("console: https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/arn:aws:states:",
            output);

        var (again, againOutput) = await ScriptAsync("--state-machine-arn", Arn, "--endpoint-url", served.Endpoint, "--build-id",
            "tutor-pipeline:7f3c-build-12", "--interval", "1");
        Assert.Equal(0, again);
        Assert.Contains("already started", againOutput);
        var (_, list) = await ProcessAsync("aws", "stepfunctions", "list-executions", "--endpoint-url", served.Endpoint, "--state-machine-arn", Arn,
            "--output", "json");
        Assert.Single(JsonNode.Parse(list)!["executions"]!.AsArray());
        Assert.DoesNotContain(pg.Password, output + againOutput);
    }

    [Fact]
    public async Task The_pipeline_script_runs_only_the_plan_it_is_given()
    {
        var db = await pg.NewDatabaseAsync();
        await using var served = await ServeAsync(db);
        var other = "0000deadbeef" + new string('0', 52);

        var (staleExit, stale) = await ScriptAsync("--state-machine-arn", Arn, "--endpoint-url", served.Endpoint, "--build-id", "b-stale",
            "--interval", "1", "--plan-hash", other);
        Assert.True(staleExit == 1, stale);
        Assert.Contains($"error: Migration.PlanStale: The execution was started for plan {other}", stale);
        Assert.Null(await PostgresFixture.ScalarAsync<string>(db, "SELECT to_regclass('public.users')::text"));

        var planned = Regex.Match(stale, "now give plan ([0-9a-f]{64})").Groups[1].Value;
        var (exit, output) = await ScriptAsync("--state-machine-arn", Arn, "--endpoint-url", served.Endpoint, "--build-id", "b-reviewed",
            "--interval", "1", "--plan-hash", planned.ToUpperInvariant());
        Assert.True(exit == 0, output);
        Assert.Contains("outcome: APPLIED", output);
        Assert.Contains($"plan {planned[..12]}: ", output);
    }

    [Fact]
    public async Task A_failed_run_exits_non_zero_and_shows_the_error()
    {
        var db = await pg.NewDatabaseAsync();
        await using var served = await ServeAsync(db);
        await PostgresFixture.ExecuteAsync(pg.AdminConnectionString, "ALTER ROLE tutor_app NOLOGIN");
        try
        {
            var (exit, output) = await ScriptAsync("--state-machine-arn", Arn, "--endpoint-url", served.Endpoint, "--build-id", "b-fail",
                "--interval", "1");
            Assert.Equal(1, exit);
            Assert.Contains("status: FAILED", output);
            Assert.Contains("error: Migration.PermissionsMissing: The role tutor_app is missing", output);
        }
        finally
        {
            await PostgresFixture.ExecuteAsync(pg.AdminConnectionString, "ALTER ROLE tutor_app LOGIN");
        }
    }

    [Fact]
    public async Task Workflow_start_follows_an_execution_live()
    {
        var db = await pg.NewDatabaseAsync();
        await using var served = await ServeAsync(db);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "testing");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "testing");
        var stdout = new StringWriter();
        var exit = await KnowItAllCli.RunAsync(["workflow", "start", "--state-machine-arn", Arn, "--endpoint-url", served.Endpoint, "--input",
            """{"action":"apply","dry_run":true}""", "--wait"], stdout, new StringWriter());

        Assert.Equal(0, exit);
        Assert.Contains("  ▶ Validate Schema", stdout.ToString());
        Assert.Contains("  ✔ Dry Run", stdout.ToString());
        Assert.Contains("outcome: DRY_RUN", stdout.ToString());
    }

    [Fact]
    public async Task Workflow_start_speaks_the_same_protocol_to_moto()
    {
        var created = JsonNode.Parse(await moto.AwsAsync("stepfunctions", "create-state-machine", "--name", "proto",
            "--definition", """{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""", "--role-arn",
            "arn:aws:iam::123456789012:role/r"))!;
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "testing");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "testing");
        var stdout = new StringWriter();

        var exit = await KnowItAllCli.RunAsync(["workflow", "start", "--state-machine-arn", created["stateMachineArn"]!.GetValue<string>(),
            "--endpoint-url", moto.Endpoint, "--name", "proto-1", "--wait", "--timeout", "2"], stdout, new StringWriter());

        // moto accepts the signed StartExecution and serves a canned history (its one state is called "A State"), but
        // keeps every execution RUNNING: the client follows that history and gives up after --timeout with exit code 3.
        Assert.Equal(WorkflowService.ExitWaitTimedOut, exit);
        Assert.Contains("started arn:aws:states:us-east-1:123456789012:execution:proto:proto-1", stdout.ToString());
        Assert.Contains("  ▶ A State", stdout.ToString());
        Assert.Contains("still RUNNING after 2 s", stdout.ToString());
    }

    [Fact]
    public async Task Bad_requests_get_aws_shaped_errors_and_the_server_keeps_serving()
    {
        var db = await pg.NewDatabaseAsync();
        await using var served = await ServeAsync(db);
        using var http = new HttpClient();
        async Task<(HttpStatusCode, string)> Call(string target, string body)
        {
            using var request =
                new HttpRequestMessage(HttpMethod.Post,
                    served.Endpoint)
                { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.0") };
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
            using var response = await http.SendAsync(request);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return (response.StatusCode, json["__type"]?.GetValue<string>().Split('#')[^1] ?? "");
        }

        Assert.Equal((HttpStatusCode.BadRequest, "UnknownOperationException"), await Call("AWSStepFunctions.DeleteEverything", "{}"));
        Assert.Equal((HttpStatusCode.BadRequest, "SerializationException"), await Call("AWSStepFunctions.StartExecution", "{\"stateMachineArn\": "));
        Assert.Equal((HttpStatusCode.BadRequest, "ValidationException"), await Call("AWSStepFunctions.StartExecution", "{}"));
        Assert.Equal((HttpStatusCode.BadRequest, "StateMachineDoesNotExist"),
            await Call("AWSStepFunctions.StartExecution", """{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:nope"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidName"),
            await Call("AWSStepFunctions.StartExecution", $$"""{"stateMachineArn": "{{Arn}}", "name": "has space"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidExecutionInput"),
            await Call("AWSStepFunctions.StartExecution", $$"""{"stateMachineArn": "{{Arn}}", "input": "{not json"}"""));
        var oversized = new JsonObject { ["stateMachineArn"] = Arn, ["input"] = "{\"pad\": \"" + new string('x', 300 * 1024) + "\"}" }.ToJsonString();
        Assert.Equal((HttpStatusCode.BadRequest, "ValidationException"), await Call("AWSStepFunctions.StartExecution", oversized));
        Assert.Equal((HttpStatusCode.BadRequest, "ExecutionDoesNotExist"),
            await Call("AWSStepFunctions.DescribeExecution",
                """{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:knowitall-migration:none"}"""));

        Assert.Equal((HttpStatusCode.OK, ""),
            await Call("AWSStepFunctions.StartExecution",
                $$"""{"stateMachineArn": "{{Arn}}", "name": "fixed", "input": "{\"action\":\"validate\"}"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "ExecutionAlreadyExists"),
            await Call("AWSStepFunctions.StartExecution", $$"""{"stateMachineArn": "{{Arn}}", "name": "fixed", "input": "{\"action\":\"plan\"}"}"""));
        Assert.Equal((HttpStatusCode.OK, ""), await Call("AWSStepFunctions.DescribeStateMachine", $$"""{"stateMachineArn": "{{Arn}}"}"""));
    }

    [Fact]
    public async Task The_script_refuses_bad_arguments()
    {
        foreach (var (args, message) in new (string[], string)[]
                 {
                     ([], "--state-machine-arn is required"),
                     (["--state-machine-arn", "not-an-arn"], "is not a state machine ARN"),
                     (["--state-machine-arn", Arn, "--action", "drop"], "--action must be validate, plan or apply"),
                     (["--state-machine-arn", Arn, "--input", "{oops"], "--input is not valid JSON"),
                     (["--state-machine-arn", Arn, "--timeout", "0"], "--timeout must be a positive number"),
                     (["--state-machine-arn", Arn, "--bogus"], "unknown argument '--bogus'"),
                     (["--state-machine-arn"], "--state-machine-arn needs a value"),
                     (["--state-machine-arn", Arn, "--plan-hash", "0000deadbeef"], "--plan-hash must be a 64-character hex SHA-256"),
                     (["--state-machine-arn", Arn, "--plan-hash", new string('a', 64), "--input", "{}"],
                         "with --input, put \"plan_hash\" in that JSON"),
                     (["--state-machine-arn", Arn, "--plan-hash", new string('a', 64), "--action", "validate"],
                         "--plan-hash needs --action plan or apply"),
                 })
        {
            var (exit, output) = await ScriptAsync(args);
            Assert.Equal(2, exit);
            Assert.Contains(message, output);
        }
    }
}
