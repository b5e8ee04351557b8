using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// The one registry of object kinds: every list of the model belongs to exactly one kind, the planning order follows the
/// kinds' declared dependencies (and a dependency that cannot be met is refused at start-up), and every statement form is a kind's.
/// </summary>
public sealed class KindRegistryTests
{
    [Fact]
    public void Every_list_of_the_model_is_filled_by_exactly_one_kind()
    {
        // Declarations and Schemas are the desired load's own (declared removals, other managed schemas), not objects of a kind.
        var lists = typeof(SchemaModel).GetProperties()
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() is var g
                && (g == typeof(IReadOnlyList<>) || g == typeof(IReadOnlySet<>)))
            .Select(p => p.Name).Except([nameof(SchemaModel.Declarations), nameof(SchemaModel.Schemas)]).Order().ToList();
        var claimed = KindRegistry.All.SelectMany(k => k.ModelLists).ToList();
        Assert.Equal(lists, claimed.Order().ToList());
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.Equal(KindRegistry.All.Count, KindRegistry.All.Select(k => k.Name).Distinct().Count());
    }

    [Fact]
    public void Every_kind_has_catalog_queries_of_its_own()
    {
        Assert.All(KindRegistry.All, k => Assert.NotEmpty(k.Catalog));
        Assert.Equal(KindRegistry.All.SelectMany(k => k.Catalog).Count(), KindRegistry.All.SelectMany(k => k.Catalog).Distinct().Count());
    }

    [Fact]
    public void Every_query_that_waits_on_the_census_names_what_the_census_finds()
    {
        var waiting = KindRegistry.All.SelectMany(k => k.Catalog).Where(q => q.RunsWhen is not null).ToList();
        Assert.NotEmpty(waiting);
        Assert.All(waiting, q => Assert.NotEmpty(q.RunsWhen!));
        Assert.All(waiting.SelectMany(q => q.RunsWhen!), token => Assert.Contains(token, CatalogCensus.Tokens));
    }

    [Fact]
    public void Every_step_is_planned_after_what_it_declares()
    {
        var order = KindRegistry.PlanningOrder.Select(s => $"{s.Kind.Name}/{s.Step.Name}").ToList();
        Assert.Equal(KindRegistry.All.Sum(k => k.Steps.Count), order.Count);
        int At(string name) => order.IndexOf(name);
        foreach (var (kind, step) in KindRegistry.PlanningOrder)
        {
            var at = At($"{kind.Name}/{step.Name}");
            foreach (var after in step.After ?? [])
                Assert.All(order.Where(o => o == after || o.StartsWith(after + "/", StringComparison.Ordinal)),
                    o => Assert.True(At(o) < at, $"{kind.Name}/{step.Name} is planned before {o}"));
            foreach (var other in kind.PlannedAfter)
                Assert.All(order.Where(o => o.StartsWith(other + "/", StringComparison.Ordinal)),
                    o => Assert.True(At(o) < at, $"{kind.Name}/{step.Name} is planned before {o}"));
        }
        // What the dependencies give today: a replaced view is dropped before what it reads changes, types and functions come
        // before the tables that use them, views after tables, keys and indexes, and comments, grants and owners last.
        Assert.Equal(
        [
            "extension/create", "enum/create", "domain/create", "range_type/create", "sequence/create", "view/drop-replaced",
            "composite_type/create", "function/create", "table/create", "constraint/create", "index/create", "table/replica-identity",
            "view/create", "trigger/create", "policy/create", "comment/create", "privilege/grant", "owner/set",
        ], order);
    }

    [Fact]
    public void Steps_that_wait_on_each_other_are_refused_naming_them()
    {
        var cycle = Assert.Throws<InvalidOperationException>(() => KindRegistry.Order([new TestKind("a", ["b/x"]), new TestKind("b", ["a/x"])]));
        Assert.Contains("a/x", cycle.Message, StringComparison.Ordinal);
        Assert.Contains("b/x", cycle.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<InvalidOperationException>(() => KindRegistry.Order([new TestKind("a", ["nothing"])]));
        Assert.Contains("'nothing'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_dependencies_steps_keep_the_registry_order()
    {
        var order = KindRegistry.Order([new TestKind("a", []), new TestKind("b", []), new TestKind("c", ["a/x"])]);
        Assert.Equal(["a", "b", "c"], order.Select(s => s.Kind.Name));
        var moved = KindRegistry.Order([new TestKind("a", ["c/x"]), new TestKind("b", []), new TestKind("c", [])]);
        Assert.Equal(["b", "c", "a"], moved.Select(s => s.Kind.Name));
    }

    [Fact]
    public void Every_privilege_and_declaration_is_some_kinds()
    {
        // The schema's privileges are checked by the verifier itself: a schema is no kind's object.
        var checks = KindRegistry.All.SelectMany(k => k.PrivilegeChecks).Select(c => c.On).Distinct().Order();
        Assert.Equal(Enum.GetValues<PrivilegeObjectKind>().Where(k => k != PrivilegeObjectKind.Schema).Order(), checks);
        // The kinds of DROP and ALTER ... RENAME the declaration parser reads ("type" is the enum's, composite type's and range type's).
        Assert.Equal(
            ["column", "constraint", "enum_value", "function", "index", "materialized_view", "policy", "procedure", "sequence", "table", "trigger",
                "type", "view"],
            KindRegistry.All.SelectMany(k => k.Declarations).Select(f => f.Kind).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("CREATE TABLE T (ID INT)", null)]
    [InlineData("CREATE TYPE MOOD AS ENUM ('A')", null)]
    [InlineData("CREATE TYPE PAIR AS (A INT)", null)]
    [InlineData("CREATE TYPE R AS RANGE (SUBTYPE = INT)", null)]
    [InlineData("CREATE TYPE B (INPUT = B_IN, OUTPUT = B_OUT)", "of CREATE TYPE only enum types")]
    [InlineData("CREATE AGGREGATE A (INT) (SFUNC = F, STYPE = INT)", "'CREATE AGGREGATE A' is not supported")]
    [InlineData("ALTER TABLE T DROP COLUMN A, ADD COLUMN B INT", "beside other actions")]
    [InlineData("COMMENT ON DATABASE D IS 'X'", "COMMENT ON is accepted for")]
    public void Every_statement_is_decided_by_the_first_kind_that_claims_it(string words, string? refusal)
    {
        var reason = KindRegistry.Refusal(words);
        if (refusal is null) Assert.Null(reason);
        else Assert.Contains(refusal, reason, StringComparison.Ordinal);
        Assert.All(KindRegistry.All.SelectMany(k => k.Forms).Where(f => f.Described.Length > 0),
            f => Assert.Contains(f.Described, KindRegistry.Accepted, StringComparison.Ordinal));
    }

    private sealed class TestKind(string name, IReadOnlyList<string> after) : ObjectKind
    {
        public override string Name => name;
        public override IReadOnlyList<string> ModelLists => [];
        public override IReadOnlyList<CatalogQuery> Catalog => [];
        public override void WriteCanonical(SchemaModel model, TextWriter text) => throw new NotSupportedException();
        public override SchemaModel Rename(SchemaModel model, Func<string, string> rename, string schema) => model;
        public override void Compare(SchemaModel desired, SchemaModel live, SchemaDiff diff) => throw new NotSupportedException();
        public override IReadOnlyList<string> PlannedAfter => [];
        public override IReadOnlyList<PlanStep> Steps => [new("x", _ => { }, after)];
        public override IReadOnlyList<StatementForm> Forms => [];
        public override IReadOnlyList<DeclarationForm> Declarations => [];
        public override IEnumerable<NamedObject> Named(SchemaModel model) => [];
        public override void CopyWants(SchemaModel live, string name, bool whole, ProofCopy copy) { }
        public override SchemaModel Copied(SchemaModel model, SchemaModel desired, ProofCopy copy) => model;
        public override IReadOnlyList<(StatementKind Statement, InitFile File)> InitFiles => [];
        public override IReadOnlyList<PrivilegeCheck> PrivilegeChecks => [];
        public override Ownership? Owned => null;
        public override IEnumerable<Reparse> Reparsed(SchemaModel desired, SchemaModel live) => [];
    }
}
