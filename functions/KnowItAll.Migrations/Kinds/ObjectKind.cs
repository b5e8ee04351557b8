using System.Text.RegularExpressions;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;
using Npgsql;

namespace KnowItAll.Migrations.Kinds;

/// <summary>
/// One kind of object the engine manages, declared whole in one file under Kinds/: the catalog queries that read it, its
/// canonical text, how its texts leave a scratch schema, how desired and live are compared, the planning steps that create,
/// alter and replace it with the kinds they come after, the statements schema/ may hold for it, the declarations that drop or
/// rename it, the names definitions may use of it, what the plan's proof copies of it, its file in <c>schema init</c>, its privilege
/// check, its owner statements and the definitions PostgreSQL may deparse otherwise. Catalog reading, the fingerprint, the desired
/// load, the diff, the declarations, the planner, the proof, statement acceptance, <c>schema init</c>, the permission check and the
/// owners' resolution iterate <see cref="KindRegistry.All"/>: every member is abstract (a kind without such a piece says so: none,
/// null), so a kind that leaves a piece out does not compile, and one left out of the registry fails <c>KindRegistryTests</c>
/// (every list of <see cref="SchemaModel"/> is some kind's).
/// </summary>
internal abstract class ObjectKind
{
    /// <summary>The kind as validate, drift and the registry's dependencies name it ("table", "enum", ...).</summary>
    public abstract string Name { get; }

    /// <summary>The <see cref="SchemaModel"/> lists this kind fills (checked against the model by the registry's test).</summary>
    public abstract IReadOnlyList<string> ModelLists { get; }

    /// <summary>The catalog queries that read it (the schema is <c>$1</c>), applied to the model in this order once all are read.</summary>
    public abstract IReadOnlyList<CatalogQuery> Catalog { get; }

    /// <summary>Its lines of the canonical text the fingerprint is taken over, sorted by key.</summary>
    public abstract void WriteCanonical(SchemaModel model, TextWriter text);

    /// <summary>
    /// The model with <paramref name="rename"/> applied wherever this kind's texts name a schema (the desired load's scratch
    /// schemas become the real ones); <paramref name="schema"/> is the schema the model is of.
    /// </summary>
    public abstract SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema);

    /// <summary>Compares the desired and live objects of this kind into <paramref name="diff"/>; the kinds run in registry order.</summary>
    public abstract void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff);

    /// <summary>The kinds whose planning steps must all come before this kind's (what its objects are built from).</summary>
    public abstract IReadOnlyList<string> PlannedAfter { get; }

    /// <summary>Its planning steps, in order: what creates, alters and replaces its objects.</summary>
    public abstract IReadOnlyList<PlanStep> Steps { get; }

    /// <summary>The statement forms schema/ may hold for it; the first form that claims a statement decides.</summary>
    public abstract IReadOnlyList<StatementForm> Forms { get; }

    /// <summary>The declarations (DROP ..., ALTER ... RENAME) that name its objects (<see cref="DeclarationDiff"/>).</summary>
    public abstract IReadOnlyList<DeclarationForm> Declarations { get; }

    /// <summary>The names its objects hold that a definition may name (<see cref="ObjectNames"/>).</summary>
    public abstract IEnumerable<NamedObject> Named(SchemaModel model);

    /// <summary>
    /// What the plan's proof (<see cref="PlanProof"/>) copies with the live object <paramref name="name"/>, of whatever kind it is:
    /// this kind's part of it, for the whole object, or for a table's shell (its columns and keys) when not <paramref name="whole"/>.
    /// </summary>
    public abstract void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy);

    /// <summary>The proof's copy of <paramref name="model"/> (the live one), its objects of this kind cut to those it holds.</summary>
    public abstract SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy);

    /// <summary>The file of <c>schema init</c> each statement kind it plans goes to, but its table's (<see cref="Desired.SchemaInit"/>).</summary>
    public abstract IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles { get; }

    /// <summary>The has_*_privilege check of the privileges its objects take (<see cref="Permissions.PermissionVerifier"/>).</summary>
    public abstract IReadOnlyList<PrivilegeCheck> PrivilegeChecks { get; }

    /// <summary>How ALTER ... OWNER TO names its objects (<see cref="Desired.DeclaredOwners"/>); null when schema/ states no owner of one.</summary>
    public abstract Ownership? Owned { get; }

    /// <summary>
    /// Its live definitions that differ from the desired ones, perhaps only by PostgreSQL's deparse, to parse once more
    /// (<see cref="KnowItAll.Migrations.Catalog.DefinitionEquivalence"/>); none for most kinds.
    /// </summary>
    public abstract IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live);
}

/// <summary>
/// A catalog query of a kind: <see cref="Read"/> reads its rows, <see cref="Apply"/> puts what was read into the model.
/// <see cref="OnHelper"/> sends it to the second connection when the read is split in two halves. <see cref="RunsWhen"/>, when
/// given, names the <see cref="Catalog.CatalogCensus"/> tokens of what it reads: without any of them in the schema it is not sent
/// (its reader reads no rows).
/// </summary>
internal sealed record CatalogQuery(string Sql, bool OnHelper, Func<NpgsqlDataReader, CancellationToken, Task<object>> Read,
    Func<SchemaModel, object, SchemaModel> Apply, IReadOnlyList<string>? RunsWhen = null)
{
    public static CatalogQuery Of<T>(string sql, bool onHelper, Func<NpgsqlDataReader, CancellationToken, Task<T>> read,
        Func<SchemaModel, T, SchemaModel> apply, IReadOnlyList<string>? runsWhen = null) where T : class =>
        new(sql, onHelper, async (reader, ct) => await read(reader, ct), (model, value) => apply(model, (T)value), runsWhen);
}

/// <summary>A planning step of a kind; <see cref="After"/> names steps of other kinds it must follow ("kind/step").</summary>
internal sealed record PlanStep(string Name, Action<PlanBuilder> Plan, IReadOnlyList<string>? After = null);

/// <summary>
/// A statement form of a kind: <see cref="Claims"/> says the statement is this form's, <see cref="Refusal"/> why it is refused
/// (null when accepted), and <see cref="Described"/> is how the refusal message lists the form.
/// </summary>
internal sealed record StatementForm(string Described, Regex Claims, Func<string, string?> Refusal);

/// <summary>
/// A declaration of a kind (<see cref="Declaration.Kind"/>): whether a model has its object under the old and under the new name,
/// what a pending rename changes in the live model (null when it cannot be renamed), and the kind of its drift when that is not
/// the kind's own name.
/// </summary>
internal sealed record DeclarationForm(string Kind, Func<SchemaModel, Declaration, (bool Old, bool New)> Presence,
    Func<SchemaModel, Declaration, SchemaModel>? Rename = null, string? Drift = null);

/// <summary>What a name in a definition may be: a relation's (table, view), a type's or a function's.</summary>
internal enum NameSpace { Relation, Type, Function }

/// <summary>A name an object holds in its schema, and its key (<see cref="ObjectKeys"/>).</summary>
internal sealed record NamedObject(NameSpace Space, string Name, string Key);

/// <summary>Where <c>schema init</c> writes a statement (a statement kind no kind places goes to its table's file).</summary>
internal enum InitFile
{
    Schema, Types, Functions, Views,
    /// <summary>Its owning table's file, or the sequences' file.</summary>
    Sequence,
    /// <summary>Its owning table's file, or the file of grants and comments.</summary>
    SequenceOwner,
    /// <summary>A foreign key in the foreign keys' file, another constraint in its table's.</summary>
    ForeignKey,
    /// <summary>The file of its index's table.</summary>
    Index,
    /// <summary>By the object commented on.</summary>
    Comment,
    /// <summary>By the object granted on.</summary>
    Grant,
}

/// <summary>The check of privileges on one kind of object: SQL of <c>c.qualified</c>, <c>c.col</c>, <c>c.priv</c> and the role <c>$1</c>.</summary>
internal sealed record PrivilegeCheck(PrivilegeObjectKind On, string Sql)
{
    /// <summary>USAGE on an enum, domain, composite or range type.</summary>
    public static readonly PrivilegeCheck Type = new(PrivilegeObjectKind.Type,
        "CASE WHEN to_regtype(c.qualified) IS NULL THEN false ELSE has_type_privilege($1, c.qualified, c.priv) END");
}

/// <summary>
/// The catalog its objects are in, and for each kind the owners' catalog read gives them
/// (<see cref="KnowItAll.Migrations.Catalog.OwnerCatalog"/>), the words of ALTER ... OWNER TO that may name one.
/// </summary>
internal sealed record Ownership(string Catalog, IReadOnlyList<(string Kind, IReadOnlyList<string> Written)> Kinds);

/// <summary>
/// A live definition to parse again: made on an empty copy of its <see cref="Table"/> by <see cref="Create"/> (the copy's and the made
/// object's names), read back by <see cref="ReadBack"/>; <see cref="Settle"/> gives the live model with it settled when the text read
/// back is the desired one, null when not.
/// </summary>
internal sealed record Reparse(string Table, Func<string, string, string> Create, Func<string, string, string> ReadBack,
    Func<SchemaModel, string, SchemaModel?> Settle);
