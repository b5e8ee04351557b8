using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KnowItAll.Workflow.Functions;

namespace KnowItAll.Workflow.Cdk.Tests;

[Collection(SynthesizedAppCollection.Name)]
public sealed class StackTests(SynthesizedApp app)
{
    public static TheoryData<string> Environments => new() { "dev", "staging", "prod" };

    [Theory]
    [MemberData(nameof(Environments))]
    public void Five_functions_from_the_one_bootstrap_with_their_settings(string env)
    {
        var template = app.Template($"KnowItAll-Workflow-{env}");
        var functions = SynthesizedApp.Resources(template, "AWS::Lambda::Function").Select(f => f.Resource["Properties"]!).ToList();

        Assert.Equal(FunctionCatalog.All.Select(f => f.Name).Order(), functions.Select(f => f["Handler"]!.GetValue<string>()).Order());
        foreach (var definition in FunctionCatalog.All)
        {
            var f = functions.Single(x => x["Handler"]!.GetValue<string>() == definition.Name);
            Assert.Equal("provided.al2023", f["Runtime"]!.GetValue<string>());
            Assert.Equal("x86_64", f["Architectures"]![0]!.GetValue<string>());
            Assert.Equal(definition.MemoryMb, f["MemorySize"]!.GetValue<int>());
            Assert.Equal(definition.TimeoutSeconds, f["Timeout"]!.GetValue<int>());
            Assert.Equal("Active", f["TracingConfig"]!["Mode"]!.GetValue<string>());
            Assert.Equal(definition.ConnectsToDatabase, f["VpcConfig"] is not null);
            var variables = f["Environment"]!["Variables"]!.AsObject();
            Assert.Equal(definition.ConnectsToDatabase, variables.ContainsKey("DB_SECRET_ARN"));
            Assert.Equal(definition.ConnectsToDatabase, variables["KNOWITALL_REQUIRE_COMPILED_MODEL"]?.GetValue<string>() == "true");
            Assert.Equal(definition.PublishesNotifications, variables.ContainsKey("NOTIFY_TOPIC_ARN"));
            Assert.Equal(env, variables["KNOWITALL_ENVIRONMENT"]!.GetValue<string>());
        }
        Assert.Equal(6, SynthesizedApp.Resources(template, "AWS::Logs::LogGroup")
            .Count(l => l.Resource["Properties"]!["RetentionInDays"] is not null));
    }

    [Fact]
    public void The_state_machine_is_the_definition_file_with_every_placeholder_substituted()
    {
        var file = File.ReadAllText(Path.Combine(app.Root, "statemachine", "migration.asl.json"));
        var placeholders = Regex.Matches(file, @"\$\{([A-Za-z0-9_]+)\}").Select(m => m.Groups[1].Value).ToHashSet();
        var template = app.Template("KnowItAll-Workflow-prod");
        var machine = SynthesizedApp.Resources(template, "AWS::StepFunctions::StateMachine").Single().Resource["Properties"]!;

        Assert.Equal(file, machine["DefinitionString"]!.GetValue<string>());
        Assert.Equal(placeholders.Order(), machine["DefinitionSubstitutions"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal("prod", machine["DefinitionSubstitutions"]!["Environment"]!.GetValue<string>());
        Assert.Equal("STANDARD", machine["StateMachineType"]!.GetValue<string>());
        Assert.True(machine["TracingConfiguration"]!["Enabled"]!.GetValue<bool>());
        Assert.Equal("ALL", machine["LoggingConfiguration"]!["Level"]!.GetValue<string>());
        Assert.True(machine["LoggingConfiguration"]!["IncludeExecutionData"]!.GetValue<bool>());

        // The Apply function must give up before the state that runs it does.
        var applyState = JsonNode.Parse(file)!["States"]!["Apply Migration"]!["TimeoutSeconds"]!.GetValue<int>();
        Assert.True(FunctionCatalog.All.Single(f => f.Name == "Apply").TimeoutSeconds < applyState);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Iam_is_least_privilege(string env)
    {
        foreach (var stack in new[] { $"KnowItAll-Workflow-{env}", $"KnowItAll-Pipeline-{env}" })
            foreach (var (id, policy) in SynthesizedApp.Resources(app.Template(stack), "AWS::IAM::Policy"))
                foreach (var statement in policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
                {
                    var actions = statement!["Action"] is JsonArray many ? many.Select(a => a!.GetValue<string>()).ToList()
                        : [statement["Action"]!.GetValue<string>()];
                    var sensitive = actions.Where(a => a.StartsWith("states:", StringComparison.Ordinal) || a == "sns:Publish"
                        || a == "secretsmanager:GetSecretValue").ToList();
                    if (sensitive.Count == 0) continue;
                    var resources = statement["Resource"] is JsonArray list ? list.ToList() : [statement["Resource"]];
                    Assert.DoesNotContain(resources, r => r is JsonValue v && v.GetValue<string>() == "*");
                }

        var workflow = app.Template($"KnowItAll-Workflow-{env}");
        var policies = SynthesizedApp.Resources(workflow, "AWS::IAM::Policy").Select(p => p.Resource["Properties"]!.ToJsonString()).ToList();
        Assert.Equal(4, policies.Count(p => p.Contains("secretsmanager:GetSecretValue")));
        Assert.Single(policies, p => p.Contains("sns:Publish"));
        Assert.Single(policies, p => p.Contains("sns:Publish") && p.Contains("NotifyServiceRole") && p.Contains("kms:GenerateDataKey"));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Alarms_are_wired_to_the_topic_and_outputs_exported(string env)
    {
        var template = app.Template($"KnowItAll-Workflow-{env}");
        var alarms = SynthesizedApp.Resources(template, "AWS::CloudWatch::Alarm").Select(a => a.Resource["Properties"]!).ToList();
        Assert.Equal(5, alarms.Count);
        var topic = SynthesizedApp.Resources(template, "AWS::SNS::Topic").Single();
        var key = SynthesizedApp.Resources(template, "AWS::KMS::Key").Single();
        Assert.Equal(key.Id, topic.Resource["Properties"]!["KmsMasterKeyId"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Contains("cloudwatch.amazonaws.com", key.Resource["Properties"]!["KeyPolicy"]!.ToJsonString());
        Assert.All(alarms, a => Assert.Equal(topic.Id, a["AlarmActions"]![0]!["Ref"]!.GetValue<string>()));
        Assert.Contains(alarms, a => a["MetricName"]?.GetValue<string>() == "ExecutionsFailed");
        Assert.Contains(alarms, a => a["MetricName"]?.GetValue<string>() == "ExecutionsTimedOut");
        var duration = alarms.Single(a => a["MetricName"]?.GetValue<string>() == "MigrationDuration");
        Assert.Equal(300_000, duration["Threshold"]!.GetValue<int>());
        Assert.Equal("KnowItAll/Migrations", duration["Namespace"]!.GetValue<string>());
        Assert.Contains(alarms, a => a["MetricName"]?.GetValue<string>() == "MigrationFailure");
        Assert.Contains(alarms, a => a["MetricName"]?.GetValue<string>() == "DatabaseConnectionErrors");
        Assert.True(template["Outputs"]!.AsObject().ContainsKey("StateMachineArn"));
        Assert.True(template["Outputs"]!.AsObject().ContainsKey("TopicArn"));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Pipelines_build_test_approve_in_prod_only_and_deploy(string env)
    {
        var template = app.Template($"KnowItAll-Pipeline-{env}");
        var pipeline = SynthesizedApp.Resources(template, "AWS::CodePipeline::Pipeline").Single().Resource["Properties"]!;
        var stages = pipeline["Stages"]!.AsArray().Select(s => s!["Name"]!.GetValue<string>()).ToList();
        Assert.Equal(env == "prod" ? ["Source", "BuildAndTest", "Approve", "DeployAndMigrate"] : ["Source", "BuildAndTest", "DeployAndMigrate"],
            stages);
        var source = pipeline["Stages"]![0]!["Actions"]![0]!["Configuration"]!;
        Assert.Equal(env switch { "dev" => "develop", "staging" => "staging", _ => "main" }, source["BranchName"]!.GetValue<string>());
        var projects = SynthesizedApp.Resources(template, "AWS::CodeBuild::Project").Select(p => p.Resource["Properties"]!.ToJsonString()).ToList();
        Assert.Contains(projects, p => p.Contains("bash tests/run.sh"));
        Assert.Contains(projects, p => p.Contains("buildspec.yml"));
        var deployPolicy = SynthesizedApp.Resources(template, "AWS::IAM::Policy").Select(p => p.Resource["Properties"]!.ToJsonString())
            .Single(p => p.Contains("states:StartExecution"));
        Assert.Contains($"\"Fn::ImportValue\":\"KnowItAll-Workflow-{env}:ExportsOutputRefMigration", deployPolicy);
        Assert.DoesNotContain("\"Resource\":\"*\"", deployPolicy);
        var policies = SynthesizedApp.Resources(template, "AWS::IAM::Policy").Select(p => p.Resource["Properties"]!.ToJsonString()).ToList();
        Assert.Equal(env == "prod", policies.Any(p => p.Contains("ApprovalRole") && p.Contains("kms:GenerateDataKey")));
    }

    [Fact]
    public void The_templates_pass_cfn_lint_without_errors()
    {
        var info = new ProcessStartInfo("cfn-lint") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var file in Directory.GetFiles(app.OutDir, "*.template.json")) info.ArgumentList.Add(file);
        using var lint = Process.Start(info)!;
        var output = lint.StandardOutput.ReadToEnd() + lint.StandardError.ReadToEnd();
        lint.WaitForExit();
        // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational.
        Assert.True((lint.ExitCode & ~(4 | 8)) == 0, output);
        Assert.Equal(6, Directory.GetFiles(app.OutDir, "*.template.json").Length);
    }
}
