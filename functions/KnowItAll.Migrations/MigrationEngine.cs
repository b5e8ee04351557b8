using System.Diagnostics;
using KnowItAll.Migrations.Apply;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Permissions;
using KnowItAll.Migrations.Planning;
using Npgsql;

namespace KnowItAll.Migrations;

/// <summary>
/// The one entry point every adapter (Lambda handlers, CLI, local executor) calls. It holds the desired
/// schema model warm between calls: the model depends only on the schema files and the server.
/// </summary>
public sealed class MigrationEngine
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly DesiredModelResolver _desiredModels;
    private readonly MigrationOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _desiredGate = new(1, 1);
    private DesiredSchema? _desired;

    /// <summary>An engine that builds the desired model from <paramref name="source"/> on the database (no compiled model).</summary>
    public MigrationEngine(NpgsqlDataSource dataSource, SchemaSource source, MigrationOptions options, TimeProvider? time = null)
        : this(dataSource, new DesiredModelResolver(source), options, time)
    {
    }

    public MigrationEngine(NpgsqlDataSource dataSource, DesiredModelResolver desiredModels, MigrationOptions options, TimeProvider? time = null)
    {
        options.Validate();
        _dataSource = dataSource;
        _desiredModels = desiredModels;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    public MigrationOptions Options => _options;

    public async Task<ValidationResult> ValidateAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await Connections.OpenAsync(_dataSource, cancellationToken);
        var (desired, live, liveFingerprint) = await DesiredAndLiveAsync(connection, cancellationToken);
        var diff = SchemaComparer.Compare(desired.Model, live);
        var missing = diff.Objects.Where(o => o.Status == ObjectStatus.Missing).ToList();
        return new ValidationResult(
            SchemaValid: missing.Count == 0,
            TargetSchema: _options.TargetSchema,
            SchemaFingerprint: await liveFingerprint,
            DesiredFingerprint: desired.Fingerprint,
            ObjectsChecked: diff.Objects.Count,
            Missing: missing,
            Drift: diff.Drift,
            Objects: diff.Objects,
            DurationMs: (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public async Task<MigrationPlan> PlanAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await Connections.OpenAsync(_dataSource, cancellationToken);
        var plan = await PlanOnAsync(connection, cancellationToken, prove: true);
        return plan with { DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds };
    }

    public async Task<ApplyResult> ApplyAsync(ApplyRequest request, IProgress<ApplyProgress>? progress = null, CancellationToken cancellationToken =
        default)
    {
        if (request.ExpectedPlanHash is { } hash && !PlanHasher.IsWellFormed(hash))
            throw new MigrationException(MigrationErrors.InvalidInput, $"plan hash '{hash}' is not a 64-character hex SHA-256");
        var executor = new PlanExecutor(_dataSource, _options, _time, (connection, ct) => PlanOnAsync(connection, ct, prove: true));
        return await executor.ApplyAsync(request, progress, cancellationToken);
    }

    /// <summary>The recorded runs, newest first, with runs a kill left <c>applying</c> settled from the catalog.</summary>
    public Task<IReadOnlyList<HistoryRow>> HistoryAsync(int limit = 20, CancellationToken cancellationToken = default) =>
        new PlanExecutor(_dataSource, _options, _time, (connection, ct) => PlanOnAsync(connection, ct, prove: false))
        .HistoryAsync(limit, cancellationToken);

    public async Task<PermissionReport> VerifyPermissionsAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await Connections.OpenAsync(_dataSource, cancellationToken);
        var desired = await DesiredModelAsync(connection, cancellationToken);
        var report = await PermissionVerifier.VerifyAsync(connection, desired.Model, _options, cancellationToken);
        return report with { DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds };
    }

    /// <param name="prove">
    /// Whether the plan is proved before it is returned (<see cref="PlanProof"/>): for a plan to show or apply; not to settle
    /// the history, which only compares.
    /// </param>
    private async Task<MigrationPlan> PlanOnAsync(NpgsqlConnection connection, CancellationToken cancellationToken, bool prove)
    {
        var (desired, live, liveFingerprint) = await DesiredAndLiveAsync(connection, cancellationToken);
        var diff = SchemaComparer.Compare(desired.Model, live);
        await ColumnTypeProbe.ProbeAsync(connection, _options.TargetSchema, diff, _options.LockTimeout, cancellationToken);
        await SequenceCounters.ReadAsync(connection, _options.TargetSchema, diff, cancellationToken);
        await DataAmounts.MeasureAsync(connection, _options.TargetSchema, diff, _options, cancellationToken);
        if (prove && await RoleCatalog.MissingAsync(connection, null, diff.MissingPrivileges.Select(p => p.Grantee), cancellationToken) is [_,
            ..] missing)
            throw new MigrationException(MigrationErrors.SchemaError,
                $"schema/ grants privileges to a role the database lacks: {RoleCatalog.Sentence(missing)}");
        // The plan is made against the renamed schema; a table's size is asked by the name it has now.
        var oldNames = diff.Renames.Where(d => d.Kind == "table").ToDictionary(d => d.NewName!, d => d.Name, StringComparer.Ordinal);
        var plan = await Planner.PlanAsync(desired.Model, desired.Fingerprint, live, await liveFingerprint, diff, _options, async tables =>
        {
            var sizes = await CatalogReader.TableSizesAsync(connection, _options.TargetSchema, tables.Select(t => oldNames.GetValueOrDefault(t, t))
                .ToList(),
                _options.LockTimeout, cancellationToken);
            return tables.ToDictionary(t => t, t => sizes.GetValueOrDefault(oldNames.GetValueOrDefault(t, t), TableSize.Empty),
                StringComparer.Ordinal);
        });
        if (prove) await PlanProof.ProveAsync(connection, plan, desired.Model, live, _options, cancellationToken);
        return plan;
    }

    /// <summary>
    /// The desired and the live model. A cold engine reads the compiled model on the thread pool while the server
    /// reads the catalog (each about half of a cold call at 1,000 tables), then resolves it on the connection. The live
    /// model's fingerprint is taken on the thread pool from the moment the catalog is read.
    /// </summary>
    private async Task<(DesiredSchema Desired, SchemaModel Live, Task<string> LiveFingerprint)> DesiredAndLiveAsync(NpgsqlConnection connection,
        CancellationToken cancellationToken)
    {
        if (_desired is null) _desiredModels.StartReading(_options.TargetSchema);
        var live = await CatalogReader.ReadAsync(connection, _options.TargetSchema, _options.LockTimeout, cancellationToken, helpers: _dataSource);
        var fingerprint = Task.Run(live.Fingerprint, cancellationToken);
        var desired = await DesiredModelAsync(connection, cancellationToken);
        live = await DefinitionEquivalence.SettleAsync(connection, _options.TargetSchema, desired.Model, live, _options.LockTimeout,
            cancellationToken);
        return (desired, live, fingerprint);
    }

    private async Task<DesiredSchema> DesiredModelAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_desired is { } cached) return cached;
        await _desiredGate.WaitAsync(cancellationToken);
        try
        {
            if (_desired is null)
            {
                var desired = await _desiredModels.ResolveAsync(connection, _options, cancellationToken);
                _desired = new DesiredSchema(desired.Model, desired.Fingerprint);
            }
            return _desired;
        }
        finally
        {
            _desiredGate.Release();
        }
    }
}

/// <summary>The desired model with its fingerprint, computed once per engine.</summary>
internal sealed record DesiredSchema(SchemaModel Model, string Fingerprint);
