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
             "plan": {"statements": [
               {"order": 1, "kind": "column", "object_name": "users.locale", "lock": "ACCESS EXCLUSIVE", "hazards": [{"code": "ACCESS_EXCLUSIVE_LOCK", "message": "m"}]},
               {"order": 2, "kind": "index", "object_name": "idx_users_locale", "lock": "SHARE UPDATE EXCLUSIVE", "hazards": [{"code": "INDEX_BUILD", "message": "m"}]}]}}
            """)!.AsObject();

        var n = NotificationComposer.Compose(state, "staging");

        Assert.Equal("[staging] Schema migration SUCCEEDED: dry run, 2 changes planned", n.Subject);
        Assert.Contains("Planned (nothing was changed):", n.Body);
        Assert.Contains("1. column users.locale — lock ACCESS EXCLUSIVE; hazards ACCESS_EXCLUSIVE_LOCK", n.Body);
        Assert.Contains("2. index idx_users_locale — lock SHARE UPDATE EXCLUSIVE; hazards INDEX_BUILD", n.Body);
        Assert.Contains("\"dry_run\": true", n.Body);
        Assert.Equal("true", n.Attributes["dry_run"]);
    }

    [Fact]
    public void The_subject_never_exceeds_the_sns_limit()
    {
        var state = new JsonObject { ["action"] = "apply", ["error"] = new JsonObject { ["Error"] = "Migration." + new string('X', 200), ["Cause"] = "c" } };
        var n = NotificationComposer.Compose(state, "production-eu-west-1");
        Assert.Equal(NotificationComposer.MaxSubjectLength, n.Subject.Length);
        Assert.StartsWith("[production-eu-west-1] Schema migration FAILED: Migration.XXX", n.Subject);
        Assert.Equal("FAILED", n.Attributes["status"]);
    }
}
