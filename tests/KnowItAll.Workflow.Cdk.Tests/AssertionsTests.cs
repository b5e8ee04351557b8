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
}
