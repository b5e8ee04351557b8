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
        var schemas = Compare(desired.Model, live);
        string Shown(ManagedSchema s, string name) => ManagedSchema.Shown(_options.TargetSchema, s.Desired.Schema, name);
        var objects = schemas.SelectMany(s => s.Exists ? [] : new[] { new ObjectStatus("schema", s.Desired.Schema, ObjectState.Missing) })
            .Concat(schemas.SelectMany(s => s.Diff.Objects.Select(o => o with { Name = Shown(s, o.Name) }))).ToList();
        var missing = objects.Where(o => o.Status == ObjectState.Missing).ToList();
        return new ValidationResult(
            SchemaValid: missing.Count == 0,
            TargetSchema: _options.TargetSchema,
            SchemaFingerprint: await liveFingerprint,
            DesiredFingerprint: desired.Fingerprint,
            ObjectsChecked: objects.Count,
            Missing: missing,
            Drift: [.. schemas.SelectMany(s => s.Diff.Drift.Select(d => d with { Name = Shown(s, d.Name) }))],
            Objects: objects,
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
        var schemas = Compare(desired.Model, live);
        foreach (var (schema, diff) in schemas.Where(s => s.Exists).Select(s => (s.Desired.Schema, s.Diff)))
        {
            await ColumnTypeProbe.ProbeAsync(connection, schema, diff, _options.LockTimeout, cancellationToken);
            await SequenceCounters.ReadAsync(connection, schema, diff, cancellationToken);
            await DataAmounts.MeasureAsync(connection, schema, diff, _options, cancellationToken);
        }
        if (prove && await RoleCatalog.MissingAsync(connection, null, schemas.SelectMany(s => s.Diff.MissingPrivileges).Select(p => p.Grantee),
            cancellationToken) is [_, ..] missing)
            throw new MigrationException(MigrationErrors.SchemaError,
                $"schema/ grants privileges to a role the database lacks: {RoleCatalog.Sentence(missing)}");
        // The plan is made against the renamed schema; a table's size is asked by the name it has now (renames are declared in the
        // target schema only).
        var oldNames = schemas[0].Diff.Renames.Where(d => d.Kind == "table").ToDictionary(d => d.NewName!, d => d.Name, StringComparer.Ordinal);
        var plan = await Planner.PlanAsync(schemas, desired.Fingerprint, await liveFingerprint, _options, async (schema, tables) =>
        {
            string Old(string t) => schema == _options.TargetSchema ? oldNames.GetValueOrDefault(t, t) : t;
            var sizes = await CatalogReader.TableSizesAsync(connection, schema, tables.Select(Old).ToList(), _options.LockTimeout, cancellationToken);
            return tables.ToDictionary(t => t, t => sizes.GetValueOrDefault(Old(t), TableSize.Empty), StringComparer.Ordinal);
        });
        if (prove) await PlanProof.ProveAsync(connection, plan, schemas, _options, cancellationToken);
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
        if (desired.Model.Schemas.Count > 0)
        {
            live = live with { Schemas = await OtherSchemasAsync(connection, desired.Model.Schemas, cancellationToken) };
            fingerprint = Task.Run(live.Fingerprint, cancellationToken);
        }
        var settled = new List<SchemaModel>();
        foreach (var other in live.Schemas)
            settled.Add(await DefinitionEquivalence.SettleAsync(connection, other.Schema, desired.Model.Schemas.First(d => d.Schema == other.Schema),
                other, _options.LockTimeout, cancellationToken));
        live = await DefinitionEquivalence.SettleAsync(connection, _options.TargetSchema, desired.Model, live, _options.LockTimeout,
            cancellationToken) with
        { Schemas = settled };
        return (desired, live, fingerprint);
    }

    /// <summary>
    /// The live models of the other managed schemas that exist (one schema/ creates and the database does not have yet has
    /// none). Extensions are read once, with the target schema's model.
    /// </summary>
    private async Task<List<SchemaModel>> OtherSchemasAsync(NpgsqlConnection connection, IReadOnlyList<SchemaModel> desired, CancellationToken ct)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname = ANY ($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = desired.Select(d => d.Schema).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) existing.Add(reader.GetString(0));
        }
        var models = new List<SchemaModel>();
        foreach (var schema in desired.Select(d => d.Schema).Where(existing.Contains))
            models.Add(await CatalogReader.ReadAsync(connection, schema, _options.LockTimeout, ct, helpers: _dataSource) with { Extensions = [] });
        return models;
    }

    /// <summary>Each managed schema's desired and live model and their diff, the target schema's first.</summary>
    private static List<ManagedSchema> Compare(SchemaModel desired, SchemaModel live) =>
        [.. desired.Managed.Select(d => ReferenceEquals(d, desired) ? new ManagedSchema(desired, live, SchemaComparer.Compare(desired, live))
            : live.Schemas.FirstOrDefault(l => l.Schema == d.Schema) is { } other ? new ManagedSchema(d, other, SchemaComparer.Compare(d, other))
            : new ManagedSchema(d, Empty(d.Schema, live), SchemaComparer.Compare(d, Empty(d.Schema, live)), Exists: false))];

    private static SchemaModel Empty(string schema, SchemaModel live) => new(schema, [], [], [], [], [], [], live.VolatileFunctions);

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
