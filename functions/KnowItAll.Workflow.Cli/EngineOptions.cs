using System.CommandLine;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;

namespace KnowItAll.Workflow.Cli;

/// <summary>The options every engine command shares, and how they become engine settings.</summary>
public sealed class EngineOptions
{
    public Option<string?> Connection { get; } = new("--connection", "-c")
    {
        Description = "PostgreSQL connection string (else KNOWITALL_DB_CONNECTION, else PG* variables, else a throwaway embedded PostgreSQL)",
    };

    public Option<DirectoryInfo> Schema { get; } = new("--schema")
    {
        Description = "Directory of desired-schema .sql files",
        DefaultValueFactory = _ => new DirectoryInfo(DefaultSchemaDirectory()),
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON document on stdout (logs go to stderr)" };

    public Option<string> TargetSchema { get; } =
        new("--target-schema") { Description = "Schema to migrate", DefaultValueFactory = _ => MigrationOptions.Defaults.TargetSchema };

    public Option<string> AppRole { get; } = new("--app-role")
    {
        Description = "Application role whose privileges are verified",
        DefaultValueFactory = _ => MigrationOptions.Defaults.AppRole
    };

    public Option<int> LockTimeoutMs { get; } = new("--lock-timeout-ms")
    {
        Description = "lock_timeout for each DDL statement",
        DefaultValueFactory = _ => (int)MigrationOptions.Defaults.LockTimeout.TotalMilliseconds
    };

    public Option<int> StatementTimeoutMs { get; } = new("--statement-timeout-ms")
    {
        Description = "statement_timeout for each DDL statement",
        DefaultValueFactory = _ => (int)MigrationOptions.Defaults.StatementTimeout.TotalMilliseconds
    };

    public Option<int> LockRetries { get; } = new("--lock-retries")
    {
        Description = "Retries (with backoff) when a lock is not granted in time",
        DefaultValueFactory = _ => MigrationOptions.Defaults.MaxLockRetries
    };

    /// <summary>Added to plan, apply and workflow run only: the commands whose plan it changes.</summary>
    public Option<string?> AllowHazards { get; } = new("--allow-hazards")
    {
        Description =
            "Opt-in hazard codes this run allows, as the plan prints them, comma-separated (e.g. DELETES_DATA): without it a plan that deletes " +
            "data is refused",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Connection, Schema, Json, TargetSchema, AppRole, LockTimeoutMs, StatementTimeoutMs, LockRetries })
            command.Options.Add(option);
    }

    public MigrationOptions ToMigrationOptions(ParseResult result)
    {
        var lockTimeout = result.GetValue(LockTimeoutMs);
        var statementTimeout = result.GetValue(StatementTimeoutMs);
        if (lockTimeout <= 0) throw new MigrationException(MigrationErrors.InvalidInput, $"--lock-timeout-ms must be positive (got {lockTimeout})");
        if (statementTimeout <= 0)
            throw new MigrationException(MigrationErrors.InvalidInput, $"--statement-timeout-ms must be positive (got {statementTimeout})");
        var options = new MigrationOptions
        {
            TargetSchema = result.GetValue(TargetSchema)!,
            AppRole = result.GetValue(AppRole)!,
            LockTimeout = TimeSpan.FromMilliseconds(lockTimeout),
            StatementTimeout = TimeSpan.FromMilliseconds(statementTimeout),
            MaxLockRetries = result.GetValue(LockRetries),
            AllowHazards = result.CommandResult.Command.Options.Contains(AllowHazards)
                ? KnowItAll.Migrations.Planning.OptInHazards.Parse(result.GetValue(AllowHazards), "--allow-hazards")
                : new HashSet<KnowItAll.Migrations.Planning.HazardCode>(),
            RunBy = $"knowitall-cli ({Environment.UserName}@{Environment.MachineName})",
        };
        options.Validate();
        return options;
    }

    /// <summary>
    /// The desired model for a CLI call: the compiled model beside the schema files when it matches them, else one
    /// built on the database and cached by the files' hash (said on stderr).
    /// </summary>
    public DesiredModelResolver DesiredModels(ParseResult result, TextWriter log)
    {
        var directory = result.GetValue(Schema)!.FullName;
        return new DesiredModelResolver(SchemaSource.StartReading(directory), DesiredModelSettings(directory, log));
    }

    public static DesiredModelSettings DesiredModelSettings(string schemaDirectory, TextWriter log) => new()
    {
        CompiledModelPath = CompiledModelFile.DefaultPath(schemaDirectory),
        OnStale = StaleModelPolicy.Rebuild,
        CacheDirectory = ModelCache.Directory(),
        Notice = message => log.WriteLine("note: " + message),
    };

    /// <summary>The repository's schema/ directory: found by walking up from the working directory, then from the binary.</summary>
    public static string DefaultSchemaDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "schema")) && File.Exists(Path.Combine(dir.FullName, "KnowItAll.Workflow.sln")))
                    return Path.Combine(dir.FullName, "schema");
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "schema");
    }
}
