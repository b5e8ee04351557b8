using KnowItAll.Migrations;
using KnowItAll.Migrations.Reporting;
using KnowItAll.Workflow.Functions.Aws;

namespace KnowItAll.Workflow.Functions;

/// <summary>Builds the host from the environment: which credentials, which publisher.</summary>
public static class FunctionHostFactory
{
    public static Task<FunctionHost> CreateAsync(Func<string, string?> variables, TextWriter output, HttpClient http,
        CancellationToken cancellationToken)
    {
        var environment = FunctionEnvironment.FromVariables(variables);
        var signer = new AwsRequestSigner();
        IDatabaseCredentials credentials = environment switch
        {
            { DatabaseConnectionString: { } cs } => new StaticCredentials(cs),
            { DatabaseSecretArn: { } arn } => new SecretsManagerCredentials(http, signer, environment, arn),
            _ => new MissingCredentials(),
        };
        INotificationPublisher publisher = environment.TopicArn is { } topic ? new SnsPublisher(http, signer, environment, topic)
            : new StdoutPublisher(output);
        IReportStore reports = environment.ReportBucket is { } bucket
            ? new S3ReportStore(http, signer, environment, bucket, environment.ReportPrefix)
            : new DirectoryReportStore(environment.ReportDirectory);
        return Task.FromResult(new FunctionHost(new FunctionServices(environment, credentials, publisher, reports, output), output));
    }

    private sealed class MissingCredentials : IDatabaseCredentials
    {
        public Task<string> GetConnectionStringAsync(bool refresh, CancellationToken cancellationToken) =>
            throw new MigrationException(MigrationErrors.InvalidInput,
                "no database configured: set DB_SECRET_ARN (Secrets Manager, RDS format) or DB_CONNECTION_STRING");
    }
}
