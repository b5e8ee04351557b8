using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Reporting;
using KnowItAll.Workflow.Functions.Telemetry;
using Npgsql;

namespace KnowItAll.Workflow.Functions;

/// <summary>
/// What handlers share within one container: the engine (its connection pool and desired model stay warm
/// across invocations), the credentials, the publisher and the metrics of the current invocation.
/// </summary>
public sealed class FunctionServices(FunctionEnvironment environment, IDatabaseCredentials credentials, INotificationPublisher publisher,
    IReportStore reports, TextWriter output,
    Action<string>? notice = null)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlDataSource? _dataSource;
    private MigrationEngine? _engine;
    private DesiredModelResolver? _desiredModels;

    public FunctionEnvironment Environment => environment;

    public INotificationPublisher Publisher => publisher;

    /// <summary>Writes each step's full report and returns the bounded digest the state machine carries.</summary>
    public StepReporter Reports { get; } = new(reports);

    public MetricsRecorder Metrics { get; internal set; } = new(environment, output);

    /// <summary>Runs an engine call; a rejected login refreshes the credentials once (the secret may have rotated) and tries again.</summary>
    public async Task<T> WithEngineAsync<T>(Func<MigrationEngine, Task<T>> call, CancellationToken cancellationToken)
    {
        var engine = await EngineAsync(refresh: false, cancellationToken);
        try
        {
            return await call(engine);
        }
        catch (MigrationException e) when (e.ErrorName == MigrationErrors.DatabaseUnavailable
            && e.InnerException is PostgresException { SqlState: "28P01" })
        {
            return await call(await EngineAsync(refresh: true, cancellationToken));
        }
    }

    private async Task<MigrationEngine> EngineAsync(bool refresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_engine is not null && !refresh) return _engine;
            _desiredModels ??= new DesiredModelResolver(SchemaSource.StartReading(environment.SchemaDirectory),
                environment.DesiredModel(notice ?? (message => new JsonLog(output, environment.FunctionArn ?? "knowitall").Write("WARN", message))));
            var connectionString = await credentials.GetConnectionStringAsync(refresh, cancellationToken);
            if (_dataSource is not null) await _dataSource.DisposeAsync();
            _dataSource = KnowItAll.Migrations.Connections.CreateDataSource(connectionString);
            _engine = new MigrationEngine(_dataSource, _desiredModels, environment.MigrationOptions(environment.FunctionArn ?? "lambda"));
            return _engine;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
    }
}
