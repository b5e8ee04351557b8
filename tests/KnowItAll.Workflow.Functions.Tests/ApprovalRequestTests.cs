using System.Text;
using System.Text.Json.Nodes;
using KnowItAll.Workflow.Functions.Handlers;

namespace KnowItAll.Workflow.Functions.Tests;

/// <summary>The approval request Notify sends when the state machine waits for a decision: what a reviewer needs, bounded, and never the task
/// token.</summary>
public sealed class ApprovalRequestTests
{
    private const string Token = "AQCEAAAAKgAAAAMAAAAAAAAAAbcdefghijklmnopSECRET-TOKEN-0123456789==";

    private static JsonObject Event(int statements = 2) => new()
    {
        ["state"] = new JsonObject
        {
            ["action"] = "apply", ["dry_run"] = false,
            ["plan"] = new JsonObject
            {
                ["plan_hash"] = new string('a', 64), ["schema_fingerprint"] = new string('f', 64), ["statement_count"] = statements,
                ["changes"] = new JsonObject { ["column"] = 1, ["index"] = statements - 1 },
                ["hazard_counts"] = new JsonObject { ["INDEX_BUILD"] = statements - 1 },
                ["statements"] = new JsonArray([.. Enumerable.Range(1, Math.Min(statements, 100)).Select(i => (JsonNode)new JsonObject
                {
                    ["order"] = i, ["kind"] = i == 1 ? "column" : "index", ["object_name"] = "users.x" + i, ["lock"] = "SHARE UPDATE EXCLUSIVE",
                        ["hazards"] = new JsonArray("INDEX_BUILD"),
                })]),
                ["report"] = new JsonObject { ["location"] = "s3://reports/executions/e1/plan.json" },
            },
            ["approval_policy"] = new JsonObject { ["required"] = "true", ["timeout_seconds"] = 86400 },
        },
        ["execution"] = new JsonObject
        {
            ["id"] = "arn:aws:states:us-east-1:123456789012:execution:knowitall-migration-prod:migrate-b7", ["name"] = "migrate-b7",
            ["start_time"] = "2026-11-25T10:00:00.000Z",
        },
        ["environment"] = "prod",
        ["approval"] = new JsonObject { ["task_token"] = Token, ["timeout_seconds"] = 86400 },
    };

    private static async Task<(InvocationOutcome Outcome, Notification? Sent, string Log)> NotifyAsync(JsonObject input)
    {
        var published = new List<Notification>();
        var publisher = new Moq.Mock<INotificationPublisher>();
        publisher.Setup(p => p.PublishAsync(Moq.It.IsAny<Notification>(), Moq.It.IsAny<CancellationToken>()))
            .Callback((Notification n, CancellationToken _) => published.Add(n)).Returns(Task.FromResult<string?>("m-1"));
        var log = new StringWriter();
        using var reports = new TempReports();
        await using var services = new FunctionServices(new FunctionEnvironment { EnvironmentName = "prod" }, new StaticCredentials("unused"),
            publisher.Object, reports.Store, log);
        var outcome = await new FunctionHost(services, log).InvokeAsync("Notify", input.ToJsonString(), new InvocationContext("req-1"));
        return (outcome, published.SingleOrDefault(), log.ToString());
    }

    [Fact]
    public async Task The_request_names_the_plan_its_schema_what_it_does_where_it_is_and_how_to_decide()
    {
        var (outcome, sent, log) = await NotifyAsync(Event());

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        var n = sent!;
        Assert.Equal("[prod] Approval needed: plan aaaaaaaaaaaa, 2 statements", n.Subject);
        Assert.Equal("WAITING_FOR_APPROVAL", n.Attributes["status"]);
        Assert.Contains($"Plan hash: {new string('a', 64)}", n.Body);
        Assert.Contains($"Planned against schema: {new string('f', 64)}", n.Body);
        Assert.Contains("Plan aaaaaaaaaaaa: 2 statements (1 column, 1 index)", n.Body);
        Assert.Contains("Hazards: 1 INDEX_BUILD", n.Body);
        Assert.Contains("2. index users.x2  [lock SHARE UPDATE EXCLUSIVE; INDEX_BUILD]", n.Body);
        Assert.Contains("plan: s3://reports/executions/e1/plan.json", n.Body);
        Assert.Contains("It waits 24 h for a decision (started 2026-11-25 10:00:00Z)", n.Body);
        Assert.Contains("Approve: knowitall workflow approve arn:aws:states:us-east-1:123456789012:execution:knowitall-migration-prod:migrate-b7",
            n.Body);
        Assert.Contains(
            "Reject:  knowitall workflow reject arn:aws:states:us-east-1:123456789012:execution:knowitall-migration-prod:migrate-b7 --reason",
            n.Body);
        Assert.DoesNotContain("SECRET-TOKEN", n.Body + n.Subject + string.Concat(n.Attributes.Values) + log + outcome.OutputJson);
    }

    [Fact]
    public async Task A_plan_of_thousands_of_statements_gives_a_bounded_request()
    {
        var (outcome, sent, _) = await NotifyAsync(Event(statements: 5000));

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        Assert.True(Encoding.UTF8.GetByteCount(sent!.Body) <= NotificationComposer.MaxBodyBytes);
        Assert.Contains("… 4990 more statements in the plan report", sent.Body);
        Assert.True(sent.Subject.Length <= NotificationComposer.MaxSubjectLength);
    }

    [Theory]
    [InlineData("""{"timeout_seconds": 86400}""", "approval.task_token")]
    [InlineData("""{"task_token": "t", "timeout_seconds": "soon"}""", "approval.timeout_seconds")]
    [InlineData("\"yes\"", "'approval' must be an object")]
    public async Task A_malformed_request_is_refused_by_name_and_sends_nothing(string approval, string message)
    {
        var input = Event();
        input["approval"] = JsonNode.Parse(approval);

        var (outcome, sent, _) = await NotifyAsync(input);

        Assert.False(outcome.Succeeded);
        Assert.Equal("Migration.InvalidInput", outcome.ErrorType);
        Assert.Contains(message, outcome.ErrorMessage);
        Assert.Null(sent);
    }
}
