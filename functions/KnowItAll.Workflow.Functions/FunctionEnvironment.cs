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

    public string TargetSchema { get; init; } = KnowItAll.Migrations.MigrationOptions.Defaults.TargetSchema;
    public string AppRole { get; init; } = KnowItAll.Migrations.MigrationOptions.Defaults.AppRole;
    public int LockTimeoutMs { get; init; } = (int)KnowItAll.Migrations.MigrationOptions.Defaults.LockTimeout.TotalMilliseconds;
    public int LockRetries { get; init; } = KnowItAll.Migrations.MigrationOptions.Defaults.MaxLockRetries;
    public int StatementTimeoutMs { get; init; } = (int)KnowItAll.Migrations.MigrationOptions.Defaults.StatementTimeout.TotalMilliseconds;

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
    public string MetricsNamespace { get; init; } = Telemetry.MetricNames.DefaultNamespace;
    public string Region { get; init; } = "us-east-1";
    public string? AwsEndpointUrl { get; init; }
    public string? FunctionArn { get; init; }

    public static FunctionEnvironment FromVariables(Func<string, string?> get)
    {
        var defaults = new FunctionEnvironment();
        return new FunctionEnvironment
        {
            SchemaDirectory = Blank(get(FunctionVariables.SchemaDirectory)) ?? defaults.SchemaDirectory,
            CompiledModelPath = Blank(get(FunctionVariables.CompiledModel)),
            RequireCompiledModel = Flag(get, FunctionVariables.RequireCompiledModel),
            TargetSchema = Blank(get(FunctionVariables.TargetSchema)) ?? defaults.TargetSchema,
            AppRole = Blank(get(FunctionVariables.AppRole)) ?? defaults.AppRole,
            LockTimeoutMs = Number(get, FunctionVariables.LockTimeoutMs, defaults.LockTimeoutMs),
            LockRetries = Number(get, FunctionVariables.LockRetries, defaults.LockRetries),
            StatementTimeoutMs = Number(get, FunctionVariables.StatementTimeoutMs, defaults.StatementTimeoutMs),
            AllowHazards = OptInHazards.Parse(get(FunctionVariables.AllowHazards), "environment variable " + FunctionVariables.AllowHazards),
            ReportBucket = Blank(get(FunctionVariables.ReportBucket)),
            ReportPrefix = Blank(get(FunctionVariables.ReportPrefix)) ?? defaults.ReportPrefix,
            ReportDirectory = Blank(get(FunctionVariables.ReportDirectory)) ?? defaults.ReportDirectory,
            DatabaseSecretArn = Blank(get(FunctionVariables.DatabaseSecretArn)),
            DatabaseConnectionString = Blank(get(FunctionVariables.DatabaseConnectionString)),
            TopicArn = Blank(get(FunctionVariables.TopicArn)),
            EnvironmentName = Blank(get(FunctionVariables.Environment)) ?? defaults.EnvironmentName,
            MetricsNamespace = Blank(get(FunctionVariables.MetricsNamespace)) ?? defaults.MetricsNamespace,
            Region = Blank(get(FunctionVariables.Region)) ?? Blank(get(FunctionVariables.DefaultRegion)) ?? defaults.Region,
            AwsEndpointUrl = Blank(get(FunctionVariables.AwsEndpointUrl)),
            FunctionArn = Blank(get(FunctionVariables.FunctionName)),
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
