using KnowItAll.Migrations.Catalog;
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

/// <summary>
/// The statements of a plan's three phases, shared by the builders of every managed schema so that each kind is planned
/// for all schemas before the next kind (a foreign key after the tables of both schemas it joins).
/// </summary>
internal sealed class PlanStatements(string targetSchema)
{
    public List<PlannedStatement> Before { get; } = [];
    public List<PlannedStatement> InTransaction { get; } = [];
    public List<PlannedStatement> After { get; } = [];

    /// <summary>The name a statement shows: qualified for an object outside the target schema.</summary>
    public string Shown(string schema, string objectName) => ManagedSchema.Shown(targetSchema, schema, objectName);

    /// <summary>The tables, views, types and functions of every managed schema, to find those a definition names.</summary>
    public ObjectNames Names { get; } = new();

    private readonly Dictionary<Phase, Dictionary<int, StatementDependencies>> _dependencies = new()
    {
        [Phase.Before] = [], [Phase.InTransaction] = [], [Phase.After] = [],
    };

    private List<PlannedStatement> Of(Phase phase) => phase switch { Phase.Before => Before, Phase.After => After, _ => InTransaction };

    /// <summary>Adds a statement to its phase with what it creates and needs, by which <see cref="Ordered"/> orders the phase.</summary>
    public void Add(Phase phase, PlannedStatement statement, string? creates = null, IReadOnlyList<string>? needs = null)
    {
        var statements = Of(phase);
        if (creates is not null || needs is { Count: > 0 }) _dependencies[phase][statements.Count] = new StatementDependencies(creates, needs ?? []);
        statements.Add(statement);
    }

    /// <summary>The three phases in turn, each in dependency order (<see cref="DependencyOrder"/>), numbered from 1.</summary>
    public List<PlannedStatement> Ordered() =>
        new[] { Phase.Before, Phase.InTransaction, Phase.After }
            .SelectMany(p => DependencyOrder.Sort(Of(p), _dependencies[p]))
            .Select((s, n) => s with { Order = n + 1 }).ToList();
}

/// <summary>What every kind's planner shares: the models and the diff of one schema, and the plan's statements.</summary>
/// <param name="sizes">
/// Table sizes asked so far: for tables whose statistics call them empty (<see cref="TableModel.HasRows"/>), and for tables
/// a change would rewrite under its lock.
/// </param>
internal sealed class PlanBuilder(SchemaModel desired, SchemaModel live, SchemaDiff diff, string schema, IReadOnlyDictionary<string, TableSize> sizes,
    PlanStatements? statements = null)
{
    private readonly PlanStatements _statements = Register(statements ?? new PlanStatements(schema), desired);

    public SchemaModel Desired => desired;
    public SchemaModel Live => live;
    public SchemaDiff Diff => diff;
    public string Schema => schema;

    public HashSet<string> NewTables { get; } = diff.MissingTables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

    public List<string> Grants { get; } = [];

    public List<string> Other { get; } = [];

    /// <summary>The hazards that block the plan: first the differences the comparison found no statement can carry.</summary>
    public List<Hazard> Blocking { get; } = [.. diff.Uncarryable.Select(u => new Hazard(u.Obstacle switch
    {
        Obstacle.TypeNotAlterable => HazardCode.TypeChangeRefused,
        Obstacle.ReferencedByForeignKeys => HazardCode.ReplacementBlocked,
        Obstacle.GenerationNotAlterable => HazardCode.GenerationNotAlterable,
        Obstacle.ViewReaders => HazardCode.ViewNotReplaceable,
        Obstacle.FunctionDependants => HazardCode.FunctionNotReplaceable,
        _ => throw new System.Diagnostics.UnreachableException($"no hazard for the obstacle {u.Obstacle}"),
    }, u.Reason, u.Name))];

    public bool HasAfterPhase => _statements.After.Count > 0;

    public string Q(string name) => Identifier.Qualify(schema, name);

    /// <summary>Tables whose size this plan depended on and was not given: ask them and plan again.</summary>
    public HashSet<string> Unsized { get; } = new(StringComparer.Ordinal);

    /// <summary>A table has rows when its heap has, or any of its partitions or inheritance children has.</summary>
    public bool HasRows(string table) =>
        live.Table(table) is { } t && (HeapHasRows(t) || Children(table).Any(HasRows));

    /// <summary>The partitions and inheritance children of a table: a change to the table reaches them too.</summary>
    private IEnumerable<string> Children(string table) =>
        live.Tables.Where(p => p.PartitionOf == table || p.Inherits.Any(i => TablePlanner.LocalParent(i) == table)).Select(p => p.Name);

    private bool HeapHasRows(TableModel table)
    {
        if (table.HasRows) return true;
        if (sizes.TryGetValue(table.Name, out var size)) return size.HasRows;
        Unsized.Add(table.Name);
        return false;
    }

    /// <summary>
    /// What a rewrite of <paramref name="table"/> copies and rebuilds (its partitions' too); 0 until asked (the plan is
    /// made again with the answer).
    /// </summary>
    public long RewriteBytes(string table)
    {
        long total = 0;
        foreach (var name in Children(table).Prepend(table))
        {
            if (sizes.TryGetValue(name, out var size)) total += size.TotalBytes;
            else Unsized.Add(name);
        }
        return total;
    }

    /// <summary>
    /// The lock hazard of a statement that <paramref name="work"/> (rewrites, scans or rebuilds) a table with rows under ACCESS
    /// EXCLUSIVE: brief up to <see cref="OptInHazards.BriefLockBytes"/>, otherwise <see cref="HazardCode.LongExclusiveLock"/>,
    /// which the run must allow; <paramref name="instead"/> says how to do it without the long lock.
    /// </summary>
    public Hazard ExclusiveWork(string table, string work, string instead)
    {
        var bytes = RewriteBytes(table);
        var size = $"{table} ({Bytes(bytes)} with its indexes)";
        return bytes <= OptInHazards.BriefLockBytes
            ? new Hazard(HazardCode.AccessExclusiveLock, $"holds an ACCESS EXCLUSIVE lock on {size} while it {work}: brief at this size")
            : new Hazard(HazardCode.LongExclusiveLock,
                $"holds an ACCESS EXCLUSIVE lock that stops reads and writes of {size} while it {work}, for as long as that takes. " +
                $"{instead} instead, or allow it for a maintenance window");
    }

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 * 1024 => $"{Math.Max(1, bytes / 1024)} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.#} GiB",
    };

    public bool IsPartitioned(string table) => (live.Table(table) ?? desired.Table(table))?.PartitionKey is not null;

    /// <summary>
    /// Plans a statement. <paramref name="creates"/> and <paramref name="needs"/> are <see cref="ObjectKeys"/>: the statement runs
    /// after those of its phase that create what it needs, wherever its kind was planned.
    /// </summary>
    public void Add(StatementKind kind, string objectName, string sql, LockLevel lockLevel, IReadOnlyList<Hazard>? hazards = null,
        Phase phase = Phase.InTransaction, string? creates = null, IReadOnlyList<string>? needs = null) =>
        _statements.Add(phase, new PlannedStatement(0, kind, _statements.Shown(schema, objectName), sql, lockLevel, phase == Phase.InTransaction,
            hazards ?? []), creates, needs);

    /// <summary>The objects of the managed schemas <paramref name="sql"/> names (<see cref="ObjectNames.In"/>).</summary>
    public List<string> Named(params IEnumerable<string?> sql) => _statements.Names.In(sql);

    /// <summary>The key of the table or view <paramref name="name"/> of this schema, if schema/ declares one.</summary>
    public string? Relation(string name) => _statements.Names.Relation(schema, name);

    /// <summary>The keys of this schema's functions called <paramref name="name"/>.</summary>
    public IReadOnlyList<string> Overloads(string name) => _statements.Names.Functions(schema, name);

    private static PlanStatements Register(PlanStatements statements, SchemaModel desired)
    {
        statements.Names.Add(desired);
        return statements;
    }

    public List<PlannedStatement> Ordered() => _statements.Ordered();
}
