using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Planning;

/// <summary>When a statement runs relative to the plan's one transaction.</summary>
internal enum Phase
{
    /// <summary>On its own before the transaction (ALTER TYPE ... ADD VALUE, so the transaction may use the value).</summary>
    Before,
    InTransaction,
    /// <summary>On its own after the transaction (concurrent index builds, validations: no long lock).</summary>
    After,
}

/// <summary>What every kind's planner shares: the models, the diff, and the statements of the three phases.</summary>
/// <param name="heapSizes">Heap sizes asked so far, for tables whose statistics call them empty (<see cref="TableModel.HasRows"/>).</param>
internal sealed class PlanBuilder(SchemaModel desired, SchemaModel live, SchemaDiff diff, string schema, IReadOnlyDictionary<string, bool> heapSizes)
{
    private readonly List<PlannedStatement> _before = [];
    private readonly List<PlannedStatement> _inTransaction = [];
    private readonly List<PlannedStatement> _after = [];

    public SchemaModel Desired => desired;
    public SchemaModel Live => live;
    public SchemaDiff Diff => diff;
    public string Schema => schema;

    public HashSet<string> NewTables { get; } = diff.MissingTables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

    public List<string> Grants { get; } = [];

    public List<string> Other { get; } = [];

    public List<Hazard> Blocking { get; } = [.. diff.Blocking];

    public bool HasAfterPhase => _after.Count > 0;

    public string Q(string name) => Identifier.Qualify(schema, name);

    /// <summary>Tables whose heap size this plan depended on and was not given: ask them and plan again.</summary>
    public HashSet<string> Unsized { get; } = new(StringComparer.Ordinal);

    /// <summary>A table has rows when its heap has, or any of its partitions has.</summary>
    public bool HasRows(string table) =>
        live.Table(table) is { } t && (HeapHasRows(t) || live.Tables.Any(p => p.PartitionOf == table && HasRows(p.Name)));

    private bool HeapHasRows(TableModel table)
    {
        if (table.HasRows) return true;
        if (heapSizes.TryGetValue(table.Name, out var hasRows)) return hasRows;
        Unsized.Add(table.Name);
        return false;
    }

    public bool IsPartitioned(string table) => (live.Table(table) ?? desired.Table(table))?.PartitionKey is not null;

    public void Add(StatementKind kind, string objectName, string sql, LockLevel lockLevel, IReadOnlyList<Hazard>? hazards = null,
        Phase phase = Phase.InTransaction)
    {
        var statement = new PlannedStatement(0, kind, objectName, sql, lockLevel, phase == Phase.InTransaction, hazards ?? []);
        (phase switch { Phase.Before => _before, Phase.After => _after, _ => _inTransaction }).Add(statement);
    }

    public List<PlannedStatement> Ordered() => _before.Concat(_inTransaction).Concat(_after).Select((s, n) => s with { Order = n + 1 }).ToList();
}
