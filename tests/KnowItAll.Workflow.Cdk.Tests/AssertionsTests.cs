using Amazon.CDK.Assertions;

namespace KnowItAll.Workflow.Cdk.Tests;

/// <summary>The same promises checked with CDK's own assertions library on the stack objects.</summary>
[Collection(SynthesizedAppCollection.Name)]
public sealed class AssertionsTests(SynthesizedApp app)
{
    [Fact]
    public void The_prod_workflow_stack_has_its_resources_and_key_properties()
    {
        var template = Template.FromStack(app.Stacks["prod"].Workflow);

        template.ResourceCountIs("AWS::Lambda::Function", 5);
        template.ResourceCountIs("AWS::StepFunctions::StateMachine", 1);
        template.ResourceCountIs("AWS::CloudWatch::Alarm", 5);
        template.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["Handler"] = "Apply", ["Runtime"] = "provided.al2023", ["Timeout"] = 840, ["MemorySize"] = 1024,
        });
        template.HasResourceProperties("AWS::StepFunctions::StateMachine", new Dictionary<string, object>
        {
            ["StateMachineType"] = "STANDARD",
            ["TracingConfiguration"] = new Dictionary<string, object> { ["Enabled"] = true },
            ["LoggingConfiguration"] = Match.ObjectLike(new Dictionary<string, object> { ["Level"] = "ALL", ["IncludeExecutionData"] = true }),
        });
        template.HasOutput("StateMachineArn", new Dictionary<string, object>());
        template.HasOutput("TopicArn", new Dictionary<string, object>());
    }

    [Fact]
    public void Only_prod_waits_for_a_manual_approval()
    {
        foreach (var (env, stacks) in app.Stacks)
        {
            var template = Template.FromStack(stacks.Pipeline);
            var approvals = template.FindResources("AWS::CodePipeline::Pipeline", new Dictionary<string, object>
            {
                ["Properties"] = new Dictionary<string, object>
                {
                    ["Stages"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["Name"] = "Approve" })]),
                },
            });
            Assert.Equal(env == "prod" ? 1 : 0, approvals.Count);
        }
    }

    [Fact]
    public void Reports_go_to_a_private_encrypted_expiring_bucket_and_each_function_writes_only_its_own_step()
    {
        var stack = app.Stacks["prod"].Workflow;
        var template = Template.FromStack(stack);

        template.HasResourceProperties("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["BucketEncryption"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["ServerSideEncryptionConfiguration"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
                {
                    ["ServerSideEncryptionByDefault"] = new Dictionary<string, object> { ["SSEAlgorithm"] = "AES256" },
                })]),
            }),
            ["PublicAccessBlockConfiguration"] = new Dictionary<string, object>
            {
                ["BlockPublicAcls"] = true, ["BlockPublicPolicy"] = true, ["IgnorePublicAcls"] = true, ["RestrictPublicBuckets"] = true,
            },
            ["LifecycleConfiguration"] = new Dictionary<string, object>
            {
                ["Rules"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["ExpirationInDays"] = 90, ["Status"] = "Enabled" })]),
            },
        });
        // TLS only: a bucket policy denies every request without aws:SecureTransport.
        template.HasResourceProperties("AWS::S3::BucketPolicy", new Dictionary<string, object>
        {
            ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Effect"] = "Deny", ["Action"] = "s3:*",
                    ["Condition"] = new Dictionary<string,
                    object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } },
                })]),
            }),
        });
        template.HasOutput("ReportBucketName", new Dictionary<string, object>());

        var json = app.Template("KnowItAll-Workflow-prod");
        var bucketId = SynthesizedApp.Resources(json, "AWS::S3::Bucket").Single().Id;
        foreach (var definition in KnowItAll.Workflow.Functions.FunctionCatalog.All)
        {
            var function = SynthesizedApp.Resources(json, "AWS::Lambda::Function")
                .Single(f => f.Resource["Properties"]!["Handler"]!.GetValue<string>() == definition.Name).Resource;
            var variables = function["Properties"]!["Environment"]!["Variables"]!.AsObject();
            Assert.Equal(definition.ReportStep is not null, variables.ContainsKey("REPORT_BUCKET"));
            var s3 = SynthesizedApp.Resources(json, "AWS::IAM::Policy")
                .Where(p => p.Resource["Properties"]!["Roles"]!.ToJsonString().Contains(definition.Name + "ServiceRole", StringComparison.Ordinal))
                .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
                .Where(st => st!["Action"]!.ToJsonString().Contains("s3:", StringComparison.Ordinal)).ToList();
            if (definition.ReportStep is not { } step)
            {
                Assert.Empty(s3);
                continue;
            }
            var statement = Assert.Single(s3)!;
            Assert.Equal("s3:PutObject", statement["Action"]!.GetValue<string>());
            var resources = statement["Resource"]!.ToJsonString();
            Assert.Contains(bucketId, resources);
            foreach (var pattern in KnowItAll.Migrations.Reporting.ReportKeys.WrittenBy(step)) Assert.Contains("/" + pattern, resources);
            Assert.Equal(KnowItAll.Migrations.Reporting.ReportKeys.WrittenBy(step).Count,
                statement["Resource"] is System.Text.Json.Nodes.JsonArray many ? many.Count : 1);
        }
    }
}
