using Amazon.CDK;
using Environment = Amazon.CDK.Environment;

namespace KnowItAll.Workflow.Cdk;

/// <summary>The app: for each environment of cdk/environments.json, its workflow stack and its pipeline stack.</summary>
public static class WorkflowApp
{
    public static IReadOnlyDictionary<string, (WorkflowStack Workflow, PipelineStack Pipeline)> Build(App app, string root, string? prebuiltBootstrap)
    {
        var config = DeploymentConfig.Load(Path.Combine(root, "cdk", "environments.json"));
        var bundle = BootstrapBundling.Prepare(root, prebuiltBootstrap);
        var awsEnvironment = new Environment { Account = config.Account, Region = config.Region };
        var stacks = new Dictionary<string, (WorkflowStack, PipelineStack)>(StringComparer.Ordinal);
        foreach (var (name, environment) in config.Environments)
        {
            var workflow = new WorkflowStack(app, $"KnowItAll-Workflow-{name}", new WorkflowStackProps
            {
                Env = awsEnvironment, EnvironmentName = name, Config = environment,
                DefinitionPath = Path.Combine(root, "statemachine", "migration.asl.json"), FunctionCode = BootstrapBundling.Code(bundle),
                Description = $"Know-It-All schema-migration workflow ({name})",
            });
            var pipeline = new PipelineStack(app, $"KnowItAll-Pipeline-{name}", new PipelineStackProps
            {
                Env = awsEnvironment, EnvironmentName = name, Config = environment, Repository = config.Repository,
                StateMachineArn = workflow.StateMachine.StateMachineArn, OpsTopic = workflow.Topic, OpsTopicKey = workflow.TopicKey,
                Description = $"Know-It-All pipeline for {name} (branch {environment.Branch})",
            });
            stacks[name] = (workflow, pipeline);
        }
        return stacks;
    }

    public static string RepositoryRoot() => RepositoryRootFrom(Directory.GetCurrentDirectory());

    public static string RepositoryRootFrom(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "cdk.json"))) return dir.FullName;
        throw new InvalidOperationException($"run the CDK app from the repository (cdk.json not found above {start})");
    }
}
