using System.Text.Json.Nodes;
using KnowItAll.Workflow.Functions.Handlers;

namespace KnowItAll.Workflow.Functions.Tests;

public sealed class NotificationTests
{
    [Fact]
    public void A_dry_run_lists_the_planned_statements_with_locks_and_hazards()
    {
        var state = JsonNode.Parse("""
            {"action": "apply", "dry_run": true, "outcome": "DRY_RUN",
             "plan": {"plan_hash": "4f1c2a9b8e7d6c5b4a39", "statement_count": 2, "changes": {"column": 1, "index": 1},
                      "hazard_counts": {"ACCESS_EXCLUSIVE_LOCK": 1, "INDEX_BUILD": 1},
                      "statements": [
               {"order": 1, "kind": "column", "object_name": "users.locale", "lock": "ACCESS EXCLUSIVE", "hazards": ["ACCESS_EXCLUSIVE_LOCK"]},
               {"order": 2, "kind": "index", "object_name": "idx_users_locale", "lock": "SHARE UPDATE EXCLUSIVE", "hazards": ["INDEX_BUILD"]}],
                      "report": {"location": "s3://reports/executions/e1/plan.json", "bytes": 4096}}}
            """)!.AsObject();

        var n = NotificationComposer.Compose(state, "staging");

        Assert.Equal("[staging] Schema migration SUCCEEDED: dry run, 2 changes planned", n.Subject);
        Assert.Contains("Action: apply   Dry run: yes", n.Body);
        Assert.Contains("Plan 4f1c2a9b8e7d: 2 statements (1 column, 1 index)", n.Body);
        Assert.Contains("Hazards: 1 ACCESS_EXCLUSIVE_LOCK, 1 INDEX_BUILD", n.Body);
        Assert.Contains("1. column users.locale  [lock ACCESS EXCLUSIVE; ACCESS_EXCLUSIVE_LOCK]", n.Body);
        Assert.Contains("2. index idx_users_locale  [lock SHARE UPDATE EXCLUSIVE; INDEX_BUILD]", n.Body);
        Assert.Contains("plan: s3://reports/executions/e1/plan.json", n.Body);
        Assert.Equal("true", n.Attributes["dry_run"]);
    }

    [Fact]
    public void The_subject_never_exceeds_the_sns_limit()
    {
        var state =
            new JsonObject { ["action"] = "apply", ["error"] = new JsonObject { ["Error"] = "Migration." + new string('X', 200), ["Cause"] = "c" } };
        var n = NotificationComposer.Compose(state, "production-eu-west-1");
        Assert.Equal(NotificationComposer.MaxSubjectLength, n.Subject.Length);
        Assert.StartsWith("[production-eu-west-1] Schema migration FAILED: Migration.XXX", n.Subject);
        Assert.Equal("FAILED", n.Attributes["status"]);
    }

    [Fact]
    public void A_plan_of_thousands_of_statements_gives_a_bounded_notification()
    {
        var statements = new JsonArray();
        for (var i = 1; i <= 5000; i++)
            statements.Add(
                new JsonObject
                {
                    ["order"] = i, ["kind"] = "table", ["object_name"] = "public.t" + i + new string('x', 50),
                    ["lock"] = "ACCESS EXCLUSIVE", ["hazards"] = new JsonArray("ACCESS_EXCLUSIVE_LOCK")
                });
        var state = new JsonObject
        {
            ["action"] = "apply", ["dry_run"] = true, ["outcome"] = "DRY_RUN",
            ["plan"] = new JsonObject { ["plan_hash"] = "abc", ["statement_count"] = 5000, ["statements"] = statements },
            ["error"] = new JsonObject { ["Error"] = "Migration.ApplyFailed", ["Cause"] = new string('c', 100_000) },
        };

        var n = NotificationComposer.Compose(state, "prod");

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(n.Body) < 16 * 1024, $"body is {n.Body.Length} chars");
        Assert.Equal(NotificationComposer.MaxStatements, n.Body.Split('\n').Count(l => l.Contains("[lock ACCESS EXCLUSIVE")));
        Assert.Contains($"… {5000 - NotificationComposer.MaxStatements} more statements in the plan report", n.Body);
        Assert.DoesNotContain(new string('c', NotificationComposer.MaxCauseChars + 1), n.Body);
    }
}
