using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations;

public sealed record MigrationOptions
{
    /// <summary>The defaults every adapter starts from (CLI options, function environment variables).</summary>
    public static MigrationOptions Defaults { get; } = new();

    /// <summary>The schema the desired DDL describes and the engine migrates.</summary>
    public string TargetSchema { get; init; } = "public";

    /// <summary>The application role whose privileges VerifyPermissions proves.</summary>
    public string AppRole { get; init; } = "tutor_app";

    /// <summary>Where the engine keeps its history table; never part of the desired schema.</summary>
    public string HistorySchema { get; init; } = "knowitall_migrations";

    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times a statement that hit the lock timeout is retried (after the first try).</summary>
    public int MaxLockRetries { get; init; } = 3;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Who ran the migration, written to the history row (CLI user, Lambda function ARN, ...).</summary>
    public string RunBy { get; init; } = Environment.UserName;

    /// <summary>
    /// Hazards this run allows (<see cref="Planning.OptInHazards"/>): CLI --allow-hazards, or the environment's allowHazards
    /// given to the functions by the deployment; never execution input. Default none.
    /// </summary>
    public IReadOnlySet<Planning.HazardCode> AllowHazards { get; init; } = new HashSet<Planning.HazardCode>();

    public void Validate()
    {
        Require(Identifier.IsValid(TargetSchema), $"target schema '{TargetSchema}' is not a valid identifier");
        Require(Identifier.IsValid(AppRole), $"application role '{AppRole}' is not a valid identifier");
        Require(Identifier.IsValid(HistorySchema), $"history schema '{HistorySchema}' is not a valid identifier");
        Require(HistorySchema != TargetSchema, "the history schema must differ from the target schema");
        Require(LockTimeout > TimeSpan.Zero && LockTimeout <= TimeSpan.FromMinutes(10),
            $"lock timeout {LockTimeout.TotalMilliseconds} ms is outside 1 ms .. 10 min");
        Require(StatementTimeout > TimeSpan.Zero, "statement timeout must be positive");
        Require(MaxLockRetries is >= 0 and <= 20, $"lock retries {MaxLockRetries} is outside 0 .. 20");
        foreach (var code in AllowHazards)
            Require(Planning.OptInHazards.Codes.Contains(code), $"{code.ToWire()} is not a hazard a run can allow");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new MigrationException(MigrationErrors.InvalidInput, message);
    }
}
