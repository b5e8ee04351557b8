using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Workflow.Functions;

/// <summary>Everything a function reads from its environment, read once per container.</summary>
public sealed record FunctionEnvironment
{
    public string SchemaDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "schema");

    /// <summary>The compiled desired model; by default <c>knowitall.lock.json</c> beside the schema files.</summary>
    public string? CompiledModelPath { get; init; }

    /// <summary>Deployed functions set this: a bundle without its compiled model is refused rather than built from the files.</summary>
    public bool RequireCompiledModel { get; init; }

    /// <summary>Functions refuse a stale compiled model; local runs of the CLI rebuild it (into <see cref="ModelCacheDirectory"/>).</summary>
    public StaleModelPolicy OnStaleModel { get; init; } = StaleModelPolicy.Refuse;

    public string? ModelCacheDirectory { get; init; }

    public string TargetSchema { get; init; } = "public";
    public string AppRole { get; init; } = "tutor_app";
    public int LockTimeoutMs { get; init; } = 5000;
    public int LockRetries { get; init; } = 3;
    public int StatementTimeoutMs { get; init; } = 300_000;

    /// <summary>
    /// The environment's allowHazards (cdk/environments.json, KNOWITALL_ALLOW_HAZARDS): opt-in hazard codes every plan of
    /// this environment allows. A deployment setting, never execution input; default none.
    /// </summary>
    public IReadOnlySet<HazardCode> AllowHazards { get; init; } = new HashSet<HazardCode>();

    /// <summary>The S3 bucket for full reports (deployed functions); without it, reports go to <see cref="ReportDirectory"/>.</summary>
    public string? ReportBucket { get; init; }
    public string ReportPrefix { get; init; } = "";

    /// <summary>Local runs' report directory; Lambda's only writable place is /tmp, so that is the default there.</summary>
    public string ReportDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "knowitall-reports");
    public string? DatabaseSecretArn { get; init; }
    public string? DatabaseConnectionString { get; init; }
    public string? TopicArn { get; init; }
    public string EnvironmentName { get; init; } = "local";
    public string MetricsNamespace { get; init; } = "KnowItAll/Migrations";
    public string Region { get; init; } = "us-east-1";
    public string? AwsEndpointUrl { get; init; }
    public string? FunctionArn { get; init; }

    public static FunctionEnvironment FromVariables(Func<string, string?> get)
    {
        var defaults = new FunctionEnvironment();
        return new FunctionEnvironment
        {
            SchemaDirectory = Blank(get("KNOWITALL_SCHEMA_DIR")) ?? defaults.SchemaDirectory,
            CompiledModelPath = Blank(get("KNOWITALL_COMPILED_MODEL")),
            RequireCompiledModel = Flag(get, "KNOWITALL_REQUIRE_COMPILED_MODEL"),
            TargetSchema = Blank(get("KNOWITALL_TARGET_SCHEMA")) ?? defaults.TargetSchema,
            AppRole = Blank(get("KNOWITALL_APP_ROLE")) ?? defaults.AppRole,
            LockTimeoutMs = Number(get, "KNOWITALL_LOCK_TIMEOUT_MS", defaults.LockTimeoutMs),
            LockRetries = Number(get, "KNOWITALL_LOCK_RETRIES", defaults.LockRetries),
            StatementTimeoutMs = Number(get, "KNOWITALL_STATEMENT_TIMEOUT_MS", defaults.StatementTimeoutMs),
            AllowHazards = OptInHazards.Parse(get("KNOWITALL_ALLOW_HAZARDS"), "environment variable KNOWITALL_ALLOW_HAZARDS"),
            ReportBucket = Blank(get("REPORT_BUCKET")),
            ReportPrefix = Blank(get("REPORT_PREFIX")) ?? defaults.ReportPrefix,
            ReportDirectory = Blank(get("KNOWITALL_REPORT_DIR")) ?? defaults.ReportDirectory,
            DatabaseSecretArn = Blank(get("DB_SECRET_ARN")),
            DatabaseConnectionString = Blank(get("DB_CONNECTION_STRING")),
            TopicArn = Blank(get("NOTIFY_TOPIC_ARN")),
            EnvironmentName = Blank(get("KNOWITALL_ENVIRONMENT")) ?? defaults.EnvironmentName,
            MetricsNamespace = Blank(get("METRICS_NAMESPACE")) ?? defaults.MetricsNamespace,
            Region = Blank(get("AWS_REGION")) ?? Blank(get("AWS_DEFAULT_REGION")) ?? defaults.Region,
            AwsEndpointUrl = Blank(get("AWS_ENDPOINT_URL")),
            FunctionArn = Blank(get("AWS_LAMBDA_FUNCTION_NAME")),
        };
    }

    public MigrationOptions MigrationOptions(string runBy) => new()
    {
        TargetSchema = TargetSchema,
        AppRole = AppRole,
        LockTimeout = TimeSpan.FromMilliseconds(LockTimeoutMs),
        StatementTimeout = TimeSpan.FromMilliseconds(StatementTimeoutMs),
        MaxLockRetries = LockRetries,
        AllowHazards = AllowHazards,
        RunBy = runBy,
    };

    public DesiredModelSettings DesiredModel(Action<string> notice) => new()
    {
        CompiledModelPath = CompiledModelPath ?? CompiledModelFile.DefaultPath(SchemaDirectory),
        RequireCompiledModel = RequireCompiledModel,
        OnStale = OnStaleModel,
        CacheDirectory = ModelCacheDirectory,
        Notice = notice,
    };

    private static bool Flag(Func<string, string?> get, string name) => Blank(get(name)) switch
    {
        null or "false" or "0" => false,
        "true" or "1" => true,
        _ => throw new MigrationException(MigrationErrors.InvalidInput, $"environment variable {name} must be true or false"),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static int Number(Func<string, string?> get, string name, int fallback)
    {
        var raw = Blank(get(name));
        if (raw is null) return fallback;
        return int.TryParse(raw, out var value) && value > 0
            ? value
            : throw new MigrationException(MigrationErrors.InvalidInput, $"environment variable {name} must be a positive whole number");
    }
}
