namespace KnowItAll.Workflow.Functions.Telemetry;

/// <summary>The metrics the functions emit and the CDK stack's alarms watch: one list, so an alarm never watches a name nobody writes.</summary>
public static class MetricNames
{
    public const string DefaultNamespace = "KnowItAll/Migrations";
    public const string MigrationSuccess = "MigrationSuccess";
    public const string MigrationFailure = "MigrationFailure";
    public const string MigrationDuration = "MigrationDuration";
    public const string ChangesApplied = "ChangesApplied";
    public const string DatabaseConnectionErrors = "DatabaseConnectionErrors";
}
