using System.Text.Json.Nodes;

namespace KnowItAll.Workflow.Cdk.Tests;

/// <summary>Plan approval in the deployed stacks: on where cdk/environments.json says so, with a named approver role granted on this state machine
/// only.</summary>
[Collection(SynthesizedAppCollection.Name)]
public sealed class ApprovalStackTests(SynthesizedApp app)
{
    private static List<JsonNode> Statements(JsonObject template, string roleId) => SynthesizedApp.Resources(template, "AWS::IAM::Policy")
        .Where(p => p.Resource["Properties"]!["Roles"]!.ToJsonString().Contains(roleId, StringComparison.Ordinal))
        .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()).Select(s => s!).ToList();

    private static List<string> Actions(JsonNode statement) =>
        statement["Action"] is JsonArray many ? [.. many.Select(a => a!.GetValue<string>())] : [statement["Action"]!.GetValue<string>()];

    [Theory]
    [InlineData("dev", false)]
    [InlineData("staging", false)]
    [InlineData("prod", true)]
    public void Prod_requires_approval_and_only_its_approver_role_may_decide(string env, bool required)
    {
        var template = app.Template($"KnowItAll-Workflow-{env}");
        var machine = SynthesizedApp.Resources(template, "AWS::StepFunctions::StateMachine").Single();
        var substitutions = machine.Resource["Properties"]!["DefinitionSubstitutions"]!;
        Assert.Equal(required ? "true" : "false", substitutions["RequireApproval"]!.GetValue<string>());
        Assert.Equal("86400", substitutions["ApprovalTimeoutSeconds"]!.GetValue<string>());

        var roles = SynthesizedApp.Resources(template, "AWS::IAM::Role").Where(r => r.Id.StartsWith("MigrationApprover", StringComparison.Ordinal))
            .ToList();
        if (!required)
        {
            Assert.Empty(roles);
            Assert.DoesNotContain("states:SendTaskSuccess", template.ToJsonString());
            return;
        }
        var (roleId, role) = Assert.Single(roles);
        Assert.Equal($"knowitall-{env}-migration-approver", role["Properties"]!["RoleName"]!.GetValue<string>());
        var statements = Statements(template, roleId);
        var decide = Assert.Single(statements, s => Actions(s).Contains("states:SendTaskSuccess"));
        Assert.Equal(["states:SendTaskFailure", "states:SendTaskHeartbeat", "states:SendTaskSuccess"], Actions(decide).Order());
        Assert.Equal(machine.Id, decide["Resource"]!["Ref"]!.GetValue<string>());
        var read = Assert.Single(statements, s => Actions(s).Contains("states:GetExecutionHistory"));
        Assert.Contains(":execution:", read["Resource"]!.ToJsonString());
        Assert.Contains(machine.Id, read["Resource"]!.ToJsonString());
        // Nothing else: no start, stop or wildcard, and of the reports only the plan.
        Assert.All(statements.SelectMany(Actions),
            a => Assert.True(a is "states:SendTaskSuccess" or "states:SendTaskFailure" or "states:SendTaskHeartbeat"
            or "states:DescribeExecution" or "states:GetExecutionHistory" || a.StartsWith("s3:Get", StringComparison.Ordinal)
                || a.StartsWith("s3:List", StringComparison.Ordinal), a));
        Assert.All(statements.Where(s => Actions(s).Any(a => a.StartsWith("s3:Get", StringComparison.Ordinal))),
            s => Assert.Contains("plan", s["Resource"]!.ToJsonString()));
    }

    [Fact]
    public void Both_build_projects_install_the_pinned_dotnet_sdk_when_the_image_lacks_it()
    {
        var buildspec = File.ReadAllText(Path.Combine(app.Root, "buildspec.yml"));
        var script = File.ReadAllText(Path.Combine(app.Root, "cdk", "scripts", "install-dotnet-sdk.sh"));

        Assert.DoesNotContain("dotnet: 10", buildspec);
        Assert.Contains("bash cdk/scripts/install-dotnet-sdk.sh", buildspec);
        Assert.Matches("(?m)^version=\"10\\.0\\.\\d+\"$", script);
        Assert.Matches("(?m)^sha512=\"[0-9a-f]{128}\"$", script);
        Assert.Contains("sha512sum --check", script);
        var tests = SynthesizedApp.Resources(app.Template("KnowItAll-Pipeline-prod"), "AWS::CodeBuild::Project")
            .Select(p => p.Resource["Properties"]!.ToJsonString())
            .Single(p => p.Contains("bash tests/run.sh"));
        Assert.Contains("install-dotnet-sdk.sh", tests);
        Assert.Contains("--timeout \"$MIGRATION_WAIT_SECONDS\"", buildspec);
    }

    [Theory]
    [InlineData("dev", 60, "1800")]
    [InlineData("prod", 480, "27000")]
    public void The_deploy_stage_follows_a_migration_that_waits_for_approval_as_long_as_codebuild_allows(string env, int minutes, string seconds)
    {
        var deploy = SynthesizedApp.Resources(app.Template($"KnowItAll-Pipeline-{env}"), "AWS::CodeBuild::Project")
            .Select(p => p.Resource["Properties"]!).Single(p => p.ToJsonString().Contains("buildspec.yml"));

        Assert.Equal(minutes, deploy["TimeoutInMinutes"]!.GetValue<int>());
        var variables = deploy["Environment"]!["EnvironmentVariables"]!.AsArray();
        Assert.Equal(seconds, variables.Single(v => v!["Name"]!.GetValue<string>() == "MIGRATION_WAIT_SECONDS")!["Value"]!.GetValue<string>());
    }
}
