using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using KnowItAll.Workflow.Functions.Aws;
using Moq;
using Npgsql;

namespace KnowItAll.Workflow.Functions.Tests;

/// <summary>Secrets Manager and SNS spoken over HTTP to moto server, and the SigV4 signature checked against botocore's.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AwsProtocolTests(PostgresFixture pg, MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly TempReports reports = new();

    public void Dispose() => reports.Dispose();

    private static readonly BasicAWSCredentials TestKeys = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    private MotoServer Moto => moto;

    private FunctionEnvironment Environment => new() { AwsEndpointUrl = Moto.Endpoint, Region = "us-east-1", EnvironmentName = "test" };

    [Fact]
    public async Task The_database_secret_is_read_from_secrets_manager_and_used()
    {
        var db = await pg.NewDatabaseAsync();
        var cs = new NpgsqlConnectionStringBuilder(db);
        var secret =
            new JsonObject
            {
                ["engine"] = "postgres", ["host"] = cs.Host, ["port"] = cs.Port, ["username"] = cs.Username, ["password"] = cs.Password,
                ["dbname"] = cs.Database
            };
        var created = JsonNode.Parse(await Moto.AwsAsync("secretsmanager", "create-secret", "--name", "tutor/db", "--secret-string",
            secret.ToJsonString()))!;
        var arn = created["ARN"]!.GetValue<string>();
        using var http = new HttpClient();
        var credentials = new SecretsManagerCredentials(http, new AwsRequestSigner(TestKeys), Environment, arn);

        var connectionString = await credentials.GetConnectionStringAsync(refresh: false, CancellationToken.None);

        var output = new StringWriter();
        var host = new FunctionHost(new FunctionServices(Environment with { SchemaDirectory = Repo.SchemaDirectory }, credentials,
            new StdoutPublisher(output), reports.Store, output), output);
        var outcome = await host.InvokeAsync("Validate", "{}", new InvocationContext("req-1"));
        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        Assert.Equal(cs.Database, new NpgsqlConnectionStringBuilder(connectionString).Database);
        Assert.DoesNotContain(cs.Password!, output.ToString() + outcome.OutputJson);

        var missing = new SecretsManagerCredentials(http, new AwsRequestSigner(TestKeys), Environment,
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:nope");
        var error = await Assert.ThrowsAsync<KnowItAll.Migrations.MigrationException>(() =>
            missing.GetConnectionStringAsync(false, CancellationToken.None));
        Assert.Equal("Migration.DatabaseUnavailable", error.ErrorName);
        Assert.Contains("ResourceNotFoundException", error.Message);
    }

    [Fact]
    public async Task A_rejected_login_refreshes_the_secret_once()
    {
        var db = await pg.NewDatabaseAsync();
        var credentials = new Mock<IDatabaseCredentials>();
        credentials.Setup(c => c.GetConnectionStringAsync(false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new NpgsqlConnectionStringBuilder(db) { Password = "rotated-away" }.ConnectionString);
        credentials.Setup(c => c.GetConnectionStringAsync(true, It.IsAny<CancellationToken>())).ReturnsAsync(db);
        var output = new StringWriter();
        var host = new FunctionHost(new FunctionServices(Environment with { SchemaDirectory = Repo.SchemaDirectory }, credentials.Object,
            new StdoutPublisher(output), reports.Store, output), output);

        var outcome = await host.InvokeAsync("Validate", "{}", new InvocationContext("req-2"));

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        credentials.Verify(c => c.GetConnectionStringAsync(true, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Notify_publishes_to_sns_with_filterable_attributes()
    {
        var topic = JsonNode.Parse(await Moto.AwsAsync("sns", "create-topic", "--name", "migrations"))!["TopicArn"]!.GetValue<string>();
        var queueUrl = JsonNode.Parse(await Moto.AwsAsync("sqs", "create-queue", "--queue-name", "ops"))!["QueueUrl"]!.GetValue<string>();
        var queueArn = JsonNode.Parse(await Moto.AwsAsync("sqs", "get-queue-attributes", "--queue-url", queueUrl, "--attribute-names",
            "QueueArn"))!["Attributes"]!["QueueArn"]!.GetValue<string>();
        await Moto.AwsAsync("sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs", "--notification-endpoint", queueArn);
        using var http = new HttpClient();
        var output = new StringWriter();
        var environment = Environment with { EnvironmentName = "prod" };
        var host =
            new FunctionHost(new FunctionServices(environment, new StaticCredentials("unused"),
                new SnsPublisher(http, new AwsRequestSigner(TestKeys), environment, topic), reports.Store, output), output);

        var outcome = await host.InvokeAsync("Notify",
            """{"action":"apply","dry_run":false,"error":{"Error":"Migration.LockTimeout","Cause":"{\"errorType\":\"Migration.LockTimeout\",""" +
            """\"errorMessage\":\"statement 3 could not get its lock\"}"},"execution":{"id":"arn:exec:9"}}""",
            new InvocationContext("req-3"));

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        Assert.NotNull(JsonNode.Parse(outcome.OutputJson!)!["message_id"]?.GetValue<string>());
        var received = JsonNode.Parse(await Moto.AwsAsync("sqs", "receive-message", "--queue-url", queueUrl, "--wait-time-seconds", "2"))!;
        var envelope = JsonNode.Parse(received["Messages"]![0]!["Body"]!.GetValue<string>())!;
        Assert.Equal("[prod] Schema migration FAILED: Migration.LockTimeout", envelope["Subject"]!.GetValue<string>());
        Assert.Contains("Cause: statement 3 could not get its lock", envelope["Message"]!.GetValue<string>());
        Assert.Contains("Execution: arn:exec:9", envelope["Message"]!.GetValue<string>());
        var attributes = envelope["MessageAttributes"]!;
        Assert.Equal("FAILED", attributes["status"]!["Value"]!.GetValue<string>());
        Assert.Equal("prod", attributes["environment"]!["Value"]!.GetValue<string>());
        Assert.Equal("apply", attributes["action"]!["Value"]!.GetValue<string>());
        Assert.Equal("false", attributes["dry_run"]!["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Full_reports_go_to_s3_by_execution_and_plan_hash_and_the_state_names_them()
    {
        await Moto.AwsAsync("s3api", "create-bucket", "--bucket", "knowitall-reports");
        var db = await pg.NewDatabaseAsync();
        using var http = new HttpClient();
        var output = new StringWriter();
        var environment = Environment with { SchemaDirectory = Repo.SchemaDirectory };
        var store = new S3ReportStore(http, new AwsRequestSigner(TestKeys), environment, "knowitall-reports", "staging/");
        await using var services = new FunctionServices(environment, new StaticCredentials(db), new StdoutPublisher(output), store, output);
        var host = new FunctionHost(services, output);

        var outcome = await host.InvokeAsync("Plan", """{"action":"apply","execution_name":"build-42"}""", new InvocationContext("req-s3"));

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        var digest = JsonNode.Parse(outcome.OutputJson!)!;
        var hash = digest["plan_hash"]!.GetValue<string>();
        Assert.Equal("s3://knowitall-reports/staging/executions/build-42/plan.json", digest["report"]!["location"]!.GetValue<string>());
        var listed = JsonNode.Parse(await Moto.AwsAsync("s3api", "list-objects-v2", "--bucket", "knowitall-reports"))!["Contents"]!.AsArray()
            .Select(o => o!["Key"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["staging/executions/build-42/plan.json", $"staging/plans/{hash}.json"], listed);

        // Read back over HTTP, signed: the whole plan, every statement with its SQL, not the digest's first few.
        var report = JsonNode.Parse(await store.ReadAsync($"plans/{hash}.json", CancellationToken.None))!;
        Assert.Equal("knowitall-report/1", report["format"]!.GetValue<string>());
        Assert.Equal("build-42", report["execution_name"]!.GetValue<string>());
        var statements = report["result"]!["statements"]!.AsArray();
        Assert.Equal(digest["statement_count"]!.GetValue<int>(), statements.Count);
        Assert.All(statements, s => Assert.False(string.IsNullOrEmpty(s!["sql"]!.GetValue<string>())));
        Assert.Null(await store.ReadAsync("executions/nobody/plan.json", CancellationToken.None));
        Assert.DoesNotContain(pg.Password, output.ToString() + outcome.OutputJson);

        // A bucket that is not there: a named error that says which object could not be written.
        var nowhere = new S3ReportStore(http, new AwsRequestSigner(TestKeys), environment, "no-such-bucket", "");
        var error = await Assert.ThrowsAsync<KnowItAll.Migrations.MigrationException>(() => nowhere.WriteAsync("executions/x/plan.json", [1],
            CancellationToken.None));
        Assert.Equal("Migration.ReportStoreFailed", error.ErrorName);
        Assert.Contains("s3://no-such-bucket/executions/x/plan.json", error.Message);
        Assert.Contains("NoSuchBucket", error.Message);
    }

    [Fact]
    public async Task The_signature_matches_botocore_for_the_same_request()
    {
        var clock = new Mock<TimeProvider>();
        clock.Setup(c => c.GetUtcNow()).Returns(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var body = Encoding.UTF8.GetBytes("""{"SecretId":"tutor/db"}""");
        using var request =
            new HttpRequestMessage(HttpMethod.Post, "https://secretsmanager.eu-west-1.amazonaws.com/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager.GetSecretValue");

        await new AwsRequestSigner(TestKeys, clock.Object).SignAsync(request, body, "secretsmanager", "eu-west-1", CancellationToken.None);
        var ours = request.Headers.GetValues("Authorization").Single();

        const string script = """
            import sys
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            req = AWSRequest(method="POST", url="https://secretsmanager.eu-west-1.amazonaws.com/", data=b'{"SecretId":"tutor/db"}',
                             headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "secretsmanager.GetSecretValue"})
            auth = SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "secretsmanager", "eu-west-1")
            """;
        var lines = await BotocoreSignatureAsync(script);

        Assert.Contains($"SignedHeaders={lines[1]}", ours);
        Assert.EndsWith($"Signature={lines[0]}", ours);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261124/eu-west-1/secretsmanager/aws4_request", ours);
    }

    [Fact]
    public async Task The_s3_put_signature_matches_botocore_for_the_same_object()
    {
        var clock = new Mock<TimeProvider>();
        clock.Setup(c => c.GetUtcNow()).Returns(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var captured = new CapturingHandler();
        using var http = new HttpClient(captured);
        var environment = new FunctionEnvironment { Region = "eu-west-1", EnvironmentName = "prod" };
        var store = new S3ReportStore(http, new AwsRequestSigner(TestKeys, clock.Object), environment, "tutor-reports", "prod");

        var location = await store.WriteAsync("plans/abc123.json", Encoding.UTF8.GetBytes("{\"a\":1}"), CancellationToken.None);

        Assert.Equal("s3://tutor-reports/prod/plans/abc123.json", location.Location);
        var request = captured.Requests.Single();
        Assert.Equal("https://tutor-reports.s3.eu-west-1.amazonaws.com/prod/plans/abc123.json", request.RequestUri!.ToString());
        var ours = request.Headers.GetValues("Authorization").Single();

        const string script = """
            import hashlib
            from botocore.auth import S3SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            body = b'{"a":1}'
            req = AWSRequest(method="PUT", url="https://tutor-reports.s3.eu-west-1.amazonaws.com/prod/plans/abc123.json", data=body,
                             headers={"Content-Type": "application/json", "X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest()})
            auth = S3SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "s3", "eu-west-1")
            """;
        var lines = await BotocoreSignatureAsync(script);

        Assert.Contains($"SignedHeaders={lines[1]}", ours);
        Assert.EndsWith($"Signature={lines[0]}", ours);
    }

    /// <summary>botocore's signature and signed headers for the request the script builds as <c>req</c> and signs with <c>auth</c>, at our fixed
    /// clock.</summary>
    private static Task<string[]> BotocoreSignatureAsync(string setup) => PythonAsync(setup + "\n" + """
        req.context["timestamp"] = "20261124T120000Z"
        auth._modify_request_before_signing(req)
        canonical = auth.canonical_request(req)
        print(auth.signature(auth.string_to_sign(req, canonical), req))
        print(auth.signed_headers(auth.headers_to_sign(req)))
        """);

    private static async Task<string[]> PythonAsync(string script)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-");
        using var python = Process.Start(info)!;
        await python.StandardInput.WriteAsync(script);
        python.StandardInput.Close();
        var lines = (await python.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, await python.StandardError.ReadToEndAsync());
        return lines;
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
