using Amazon.CDK;
using Amazon.CDK.AWS.CodeBuild;
using Amazon.CDK.AWS.CodePipeline;
using Amazon.CDK.AWS.CodePipeline.Actions;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SNS;
using Constructs;
using IStageProps = Amazon.CDK.AWS.CodePipeline.IStageProps;
using StageProps = Amazon.CDK.AWS.CodePipeline.StageProps;

namespace KnowItAll.Workflow.Cdk;

public sealed class PipelineStackProps : StackProps
{
    public required string EnvironmentName { get; init; }
    public required EnvironmentConfig Config { get; init; }
    public required RepositoryConfig Repository { get; init; }
    public required string StateMachineArn { get; init; }
    public required ITopic OpsTopic { get; init; }
    public required Amazon.CDK.AWS.KMS.IKey OpsTopicKey { get; init; }
}

/// <summary>
/// One environment's pipeline: its branch from GitHub, build and test (the README's test command), a manual
/// approval where the environment asks for one, then deploy and migrate with buildspec.yml.
/// </summary>
public sealed class PipelineStack : Stack
{
    private const string InstallDotnet = "bash cdk/scripts/install-dotnet-sdk.sh --dir \"$HOME/.dotnet\"";
    private const string DotnetOnPath = "export PATH=\"$HOME/.dotnet:$PATH\" DOTNET_ROOT=\"$HOME/.dotnet\"";

    public PipelineStack(Construct scope, string id, PipelineStackProps props) : base(scope, id, props)
    {
        var env = props.EnvironmentName;
        var source = new Artifact_("Source");
        var image = new BuildEnvironment { BuildImage = LinuxBuildImage.STANDARD_7_0, ComputeType = ComputeType.MEDIUM };

        var test = new PipelineProject(this, "BuildAndTest", new PipelineProjectProps
        {
            ProjectName = $"knowitall-{env}-build-and-test",
            Environment = image,
            BuildSpec = BuildSpec.FromObject(new Dictionary<string, object>
            {
                ["version"] = "0.2",
                ["phases"] = new Dictionary<string, object>
                {
                    // As in buildspec.yml: the image's .NET 10 SDK, else the pinned one checked against its SHA-512.
                    ["install"] = new Dictionary<string, object> { ["commands"] = new[] { InstallDotnet } },
                    ["build"] = new Dictionary<string, object> { ["commands"] = new[] { DotnetOnPath, "bash tests/run.sh" } },
                },
            }),
            Timeout = Duration.Minutes(90),
        });

        var deployRole = new Role(this, "DeployRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("codebuild.amazonaws.com"),
            Description = $"Deploys the {env} workflow stack and runs its migration, nothing else",
        });
        deployRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "StartMigrations",
            Actions = ["states:StartExecution"],
            Resources = [props.StateMachineArn],
        }));
        deployRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "FollowMigrations",
            Actions = ["states:DescribeExecution", "states:GetExecutionHistory"],
            Resources = [ExecutionArns(props.StateMachineArn)],
        }));
        deployRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CdkDeployThroughBootstrapRoles",
            Actions = ["sts:AssumeRole"],
            Resources = [$"arn:aws:iam::{Account}:role/cdk-hnb659fds-*-{Account}-{Region}"],
        }));
        var deploy = new PipelineProject(this, "DeployAndMigrate", new PipelineProjectProps
        {
            ProjectName = $"knowitall-{env}-deploy-and-migrate",
            Environment = image,
            Role = deployRole,
            BuildSpec = BuildSpec.FromSourceFilename("buildspec.yml"),
            EnvironmentVariables = new Dictionary<string, IBuildEnvironmentVariable>
            {
                ["KNOWITALL_ENVIRONMENT"] = new BuildEnvironmentVariable { Value = env },
                ["STATE_MACHINE_ARN"] = new BuildEnvironmentVariable { Value = props.StateMachineArn },
                ["MIGRATION_WAIT_SECONDS"] =
                    new BuildEnvironmentVariable
                    {
                        Value = MigrationWaitSeconds(props.Config).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    },
            },
            // Where a person approves the plan, the stage waits as long as CodeBuild allows (8 h); the execution itself waits up to its approval
            // timeout.
            Timeout = props.Config.RequireApproval ? Duration.Hours(8) : Duration.Minutes(60),
        });

        var stages = new List<IStageProps>
        {
            new StageProps
            {
                StageName = "Source",
                Actions =
                [
                    new CodeStarConnectionsSourceAction(new CodeStarConnectionsSourceActionProps
                    {
                        ActionName = "GitHub", Owner = props.Repository.Owner, Repo = props.Repository.Name, Branch = props.Config.Branch,
                        ConnectionArn = props.Repository.ConnectionArn, Output = source,
                    }),
                ],
            },
            new StageProps
            {
                StageName = "BuildAndTest",
                Actions = [new CodeBuildAction(new CodeBuildActionProps { ActionName = "Test", Project = test, Input = source })],
            },
        };
        if (props.Config.ManualApproval)
        {
            var approvalRole = new Role(this, "ApprovalRole", new RoleProps
            {
                AssumedBy = new AccountPrincipal(Account),
                Description = $"Asks for approval of the {env} migration on the ops topic",
            });
            props.OpsTopicKey.Grant(approvalRole, "kms:Decrypt", "kms:GenerateDataKey*");
            stages.Add(new StageProps
            {
                StageName = "Approve",
                Actions =
                [
                    new ManualApprovalAction(new ManualApprovalActionProps
                    {
                        ActionName = "ApproveMigration", NotificationTopic = props.OpsTopic, Role = approvalRole,
                        AdditionalInformation = $"Approve the deployment and schema migration of {env}.",
                    }),
                ],
            });
        }
        stages.Add(new StageProps
        {
            StageName = "DeployAndMigrate",
            Actions = [new CodeBuildAction(new CodeBuildActionProps { ActionName = "DeployAndMigrate", Project = deploy, Input = source })],
        });

        new Pipeline(this, "Pipeline", new PipelineProps
        {
            PipelineName = $"knowitall-{env}",
            PipelineType = PipelineType.V2,
            Stages = [.. stages],
        });
    }

    /// <summary>How long start-migration.sh follows the execution: 30 minutes, or 7.5 h (inside CodeBuild's 8 h) while a plan may wait for
    /// approval.</summary>
    internal static int MigrationWaitSeconds(EnvironmentConfig config) =>
        config.RequireApproval ? Math.Min(config.ApprovalTimeoutSeconds + 1800, 27_000) : 1800;

    private static string ExecutionArns(string stateMachineArn) =>
        Fn.Join("", [Fn.Join(":execution:", Fn.Split(":stateMachine:", stateMachineArn)), ":*"]);
}
