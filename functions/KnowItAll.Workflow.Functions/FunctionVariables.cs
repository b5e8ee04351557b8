namespace KnowItAll.Workflow.Functions;

/// <summary>The environment variables the functions read: the CDK stack sets them by these names, so the two never drift.</summary>
public static class FunctionVariables
{
    public const string SchemaDirectory = "KNOWITALL_SCHEMA_DIR";
    public const string CompiledModel = "KNOWITALL_COMPILED_MODEL";
    public const string RequireCompiledModel = "KNOWITALL_REQUIRE_COMPILED_MODEL";
    public const string TargetSchema = "KNOWITALL_TARGET_SCHEMA";
    public const string AppRole = "KNOWITALL_APP_ROLE";
    public const string LockTimeoutMs = "KNOWITALL_LOCK_TIMEOUT_MS";
    public const string LockRetries = "KNOWITALL_LOCK_RETRIES";
    public const string StatementTimeoutMs = "KNOWITALL_STATEMENT_TIMEOUT_MS";
    public const string AllowHazards = "KNOWITALL_ALLOW_HAZARDS";
    public const string ReportBucket = "REPORT_BUCKET";
    public const string ReportPrefix = "REPORT_PREFIX";
    public const string ReportDirectory = "KNOWITALL_REPORT_DIR";
    public const string DatabaseSecretArn = "DB_SECRET_ARN";
    public const string DatabaseConnectionString = "DB_CONNECTION_STRING";
    public const string TopicArn = "NOTIFY_TOPIC_ARN";
    public const string Environment = "KNOWITALL_ENVIRONMENT";
    public const string MetricsNamespace = "METRICS_NAMESPACE";
    public const string Region = "AWS_REGION";
    public const string DefaultRegion = "AWS_DEFAULT_REGION";
    public const string AwsEndpointUrl = "AWS_ENDPOINT_URL";
    public const string FunctionName = "AWS_LAMBDA_FUNCTION_NAME";
}
