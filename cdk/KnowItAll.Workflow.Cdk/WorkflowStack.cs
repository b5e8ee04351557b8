using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SecretsManager;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;
using KnowItAll.Migrations.Reporting;
using KnowItAll.Workflow.Functions;
using KnowItAll.Workflow.Functions.Telemetry;
using Function = Amazon.CDK.AWS.Lambda.Function;
using StateMachine = Amazon.CDK.AWS.StepFunctions.StateMachine;
using FunctionProps = Amazon.CDK.AWS.Lambda.FunctionProps;
using LogGroupProps = Amazon.CDK.AWS.Logs.LogGroupProps;

namespace KnowItAll.Workflow.Cdk;

public sealed class WorkflowStackProps : StackProps
{
    public required string EnvironmentName { get; init; }
    public required EnvironmentConfig Config { get; init; }
    public required string DefinitionPath { get; init; }
    public required Code FunctionCode { get; init; }
}

/// <summary>
/// One environment's migration workflow: the five functions from the one bootstrap, the topic, the state machine
/// from statemachine/migration.asl.json, and the alarms.
/// </summary>
public sealed class WorkflowStack : Stack
{
    public const string MetricsNamespace = MetricNames.DefaultNamespace;

    public WorkflowStack(Construct scope, string id, WorkflowStackProps props) : base(scope, id, props)
    {
        var env = props.EnvironmentName;
        var config = props.Config;
        var vpc = Vpc.FromVpcAttributes(this, "Vpc", new VpcAttributes
        {
            VpcId = config.VpcId, AvailabilityZones = [.. config.AvailabilityZones], PrivateSubnetIds = [.. config.PrivateSubnetIds],
        });
        var databaseGroup = SecurityGroup.FromSecurityGroupId(this, "DatabaseSecurityGroup", config.DatabaseSecurityGroupId);
        var functionsGroup = new SecurityGroup(this, "FunctionsSecurityGroup", new SecurityGroupProps
        {
            Vpc = vpc, AllowAllOutbound = false, Description = $"Know-It-All migration functions ({env}): the database and HTTPS to AWS APIs",
        });
        functionsGroup.AddEgressRule(databaseGroup, Port.Tcp(config.DatabasePort), "PostgreSQL");
        functionsGroup.AddEgressRule(Peer.AnyIpv4(), Port.Tcp(443), "Secrets Manager over HTTPS");
        databaseGroup.AddIngressRule(functionsGroup, Port.Tcp(config.DatabasePort), "migration functions");

        var secret = Secret.FromSecretCompleteArn(this, "DatabaseSecret", config.DatabaseSecretArn);
        var secretKey = config.HasKmsKey ? Key.FromKeyArn(this, "DatabaseSecretKey", config.DatabaseSecretKmsKeyArn!) : null;

        // A key of our own: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key.
        var topicKey = new Key(this, "NotificationsKey", new KeyProps
        {
            EnableKeyRotation = true,
            Description = $"Encrypts the Know-It-All migration notifications ({env})",
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        topicKey.AddToResourcePolicy(new Amazon.CDK.AWS.IAM.PolicyStatement(new Amazon.CDK.AWS.IAM.PolicyStatementProps
        {
            Sid = "CloudWatchAlarmsPublish",
            Principals = [new Amazon.CDK.AWS.IAM.ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resources = ["*"],
        }));
        TopicKey = topicKey;
        Topic = new Topic(this, "Notifications", new TopicProps
        {
            TopicName = $"knowitall-migrations-{env}",
            DisplayName = $"Know-It-All schema migrations ({env})",
            MasterKey = topicKey,
        });

        // The full reports (every object, statement, timing and permission check): the execution state carries
        // only bounded digests and their location here. Private, encrypted, TLS only, expired after the retention.
        ReportBucket = new Bucket(this, "Reports", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "expire-reports",
                    Enabled = true,
                    Expiration = Duration.Days(config.ReportRetentionDays),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(1),
                },
            ],
        });

        var functions = new Dictionary<string, Function>(StringComparer.Ordinal);
        foreach (var definition in FunctionCatalog.All)
        {
            var environment = new Dictionary<string, string>
            {
                [FunctionVariables.Environment] = env,
                [FunctionVariables.MetricsNamespace] = MetricsNamespace,
            };
            if (definition.ConnectsToDatabase)
            {
                environment[FunctionVariables.DatabaseSecretArn] = config.DatabaseSecretArn;
                // The bundle carries the compiled model (BootstrapBundling checks it); without it a function refuses to run.
                environment[FunctionVariables.RequireCompiledModel] = "true";
            }
            // allowHazards: what every plan of this environment allows (e.g. DELETES_DATA in a throwaway environment); Plan reports
            // and Apply enforces the same set. A deployment setting, never execution input.
            if (definition.Name is "Plan" or "Apply" && config.AllowHazards is { Count: > 0 } allow)
                environment[FunctionVariables.AllowHazards] = string.Join(',', allow);
            if (definition.PublishesNotifications) environment[FunctionVariables.TopicArn] = Topic.TopicArn;
            if (definition.ReportStep is not null) environment[FunctionVariables.ReportBucket] = ReportBucket.BucketName;
            var function = new Function(this, definition.Name, new FunctionProps
            {
                FunctionName = $"knowitall-{env}-{definition.Name}",
                Description = definition.Description,
                Runtime = Runtime.PROVIDED_AL2023,
                Architecture = Architecture.X86_64,
                Handler = definition.Name,
                Code = props.FunctionCode,
                MemorySize = definition.MemoryMb,
                Timeout = Duration.Seconds(definition.TimeoutSeconds),
                Environment = environment,
                Tracing = Tracing.ACTIVE,
                LogGroup = new LogGroup(this, definition.Name + "Logs", new LogGroupProps
                {
                    LogGroupName = $"/aws/lambda/knowitall-{env}-{definition.Name}",
                    Retention = Retention(config.LogRetentionDays),
                    RemovalPolicy = RemovalPolicy.RETAIN,
                }),
                Vpc = definition.ConnectsToDatabase ? vpc : null,
                VpcSubnets = definition.ConnectsToDatabase ? new SubnetSelection { Subnets = vpc.PrivateSubnets } : null,
                SecurityGroups = definition.ConnectsToDatabase ? [functionsGroup] : null,
            });
            if (definition.ConnectsToDatabase)
            {
                secret.GrantRead(function);
                secretKey?.GrantDecrypt(function);
            }
            if (definition.PublishesNotifications)
            {
                Topic.GrantPublish(function);
                topicKey.Grant(function, "kms:Decrypt", "kms:GenerateDataKey*");
            }
            // Least privilege: each function may write its own step's reports, nothing else in the bucket.
            if (definition.ReportStep is { } step)
                function.AddToRolePolicy(new Amazon.CDK.AWS.IAM.PolicyStatement(new Amazon.CDK.AWS.IAM.PolicyStatementProps
                {
                    Sid = "WriteOwnReports",
                    Actions = ["s3:PutObject"],
                    Resources = [.. ReportKeys.WrittenBy(step).Select(ReportBucket.ArnForObjects)],
                }));
            functions[definition.Name] = function;
        }

        var substitutions = FunctionCatalog.All.ToDictionary(d => d.ArnPlaceholder, d => functions[d.Name].FunctionArn);
        substitutions["Environment"] = env;
        config.Approval.AddTo(substitutions);
        StateMachine = new Amazon.CDK.AWS.StepFunctions.StateMachine(this, "Migration", new StateMachineProps
        {
            StateMachineName = $"knowitall-migration-{env}",
            StateMachineType = StateMachineType.STANDARD,
            DefinitionBody = DefinitionBody.FromString(File.ReadAllText(props.DefinitionPath)),
            DefinitionSubstitutions = substitutions,
            TracingEnabled = true,
            Logs = new LogOptions
            {
                Level = LogLevel.ALL,
                IncludeExecutionData = true,
                Destination = new LogGroup(this, "MigrationLogs", new LogGroupProps
                {
                    LogGroupName = $"/aws/vendedlogs/states/knowitall-migration-{env}",
                    Retention = Retention(config.LogRetentionDays),
                    RemovalPolicy = RemovalPolicy.RETAIN,
                }),
            },
        });
        foreach (var function in functions.Values) function.GrantInvoke(StateMachine);

        if (config.RequireApproval)
        {
            // Whoever may assume this role (an IAM decision of the account) can read a waiting execution's plan and approve or
            // reject it, for this state machine only: SendTask* on it, DescribeExecution / GetExecutionHistory on its executions.
            ApproverRole = new Amazon.CDK.AWS.IAM.Role(this, "MigrationApprover", new Amazon.CDK.AWS.IAM.RoleProps
            {
                RoleName = $"knowitall-{env}-migration-approver",
                Description = $"Approves or rejects Know-It-All migration plans ({env}): knowitall workflow approve | reject",
                AssumedBy = new Amazon.CDK.AWS.IAM.AccountRootPrincipal(),
                MaxSessionDuration = Duration.Hours(1),
            });
            StateMachine.GrantTaskResponse(ApproverRole);
            StateMachine.GrantExecution(ApproverRole, "states:DescribeExecution", "states:GetExecutionHistory");
            // The full plan the request points to, and nothing else of the reports.
            foreach (var pattern in ReportKeys.WrittenBy(ReportKeys.Plan)) ReportBucket.GrantRead(ApproverRole, pattern);
            new CfnOutput(this, "ApproverRoleArn",
                new CfnOutputProps { Value = ApproverRole.RoleArn, ExportName = $"knowitall-{env}-approver-role-arn" });
        }

        var notify = new SnsAction(Topic);
        void Alarm(string id, IMetric metric, double threshold, string description)
        {
            var alarm = new Alarm(this, id, new AlarmProps
            {
                AlarmName = $"knowitall-{env}-{id}",
                AlarmDescription = description,
                Metric = metric,
                Threshold = threshold,
                EvaluationPeriods = 1,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            });
            alarm.AddAlarmAction(notify);
        }
        Metric Emf(string name, string statistic) => new(new MetricProps
        {
            Namespace = MetricsNamespace, MetricName = name, Statistic = statistic, Period = Duration.Minutes(5),
            DimensionsMap = new Dictionary<string, string> { ["Environment"] = env },
        });
        Alarm("ExecutionsFailed", StateMachine.MetricFailed(new MetricOptions { Period = Duration.Minutes(5), Statistic = "Sum" }), 1,
            "A migration execution failed");
        Alarm("ExecutionsTimedOut", StateMachine.MetricTimedOut(new MetricOptions { Period = Duration.Minutes(5), Statistic = "Sum" }), 1,
            "A migration execution timed out");
        Alarm("MigrationTooLong", Emf(MetricNames.MigrationDuration, "Maximum"), 300_000, "A migration's apply took longer than 5 minutes");
        Alarm("MigrationFailures", Emf(MetricNames.MigrationFailure, "Sum"), 1, "The Apply function reported a failed migration");
        Alarm("DatabaseConnectionErrors", Emf(MetricNames.DatabaseConnectionErrors, "Sum"), 1,
            "A function could not reach or log in to the database");

        new CfnOutput(this, "StateMachineArn",
            new CfnOutputProps { Value = StateMachine.StateMachineArn, ExportName = $"knowitall-{env}-state-machine-arn" });
        new CfnOutput(this, "ReportBucketName",
            new CfnOutputProps { Value = ReportBucket.BucketName, ExportName = $"knowitall-{env}-report-bucket" });
        new CfnOutput(this, "TopicArn", new CfnOutputProps { Value = Topic.TopicArn, ExportName = $"knowitall-{env}-topic-arn" });
    }

    public Topic Topic { get; }

    /// <summary>Where every function writes its full report (see <see cref="ReportKeys"/>).</summary>
    public Bucket ReportBucket { get; }

    /// <summary>The topic's key: whoever publishes needs it too.</summary>
    public IKey TopicKey { get; }

    public Amazon.CDK.AWS.StepFunctions.StateMachine StateMachine { get; }

    /// <summary>The role that may approve or reject plans; only where the environment requires approval.</summary>
    public Amazon.CDK.AWS.IAM.Role? ApproverRole { get; }

    private static RetentionDays Retention(int days) => days switch
    {
        <= 7 => RetentionDays.ONE_WEEK,
        <= 14 => RetentionDays.TWO_WEEKS,
        <= 30 => RetentionDays.ONE_MONTH,
        <= 90 => RetentionDays.THREE_MONTHS,
        <= 180 => RetentionDays.SIX_MONTHS,
        <= 365 => RetentionDays.ONE_YEAR,
        _ => RetentionDays.TWO_YEARS,
    };
}
