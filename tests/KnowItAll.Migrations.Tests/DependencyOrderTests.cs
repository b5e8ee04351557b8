using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// The order of a plan's statements by the objects' dependencies (<see cref="DependencyOrder"/>): only a statement that needs
/// what a later one creates moves, to just after it; every other keeps its planned place; a cycle is an error naming its objects.
/// </summary>
public sealed class DependencyOrderTests
{
    private static readonly string View = ObjectKeys.View("public", "item_names");
    private static readonly string Function = ObjectKeys.Function("public", "active_items()");
    private static readonly string Table = ObjectKeys.Table("public", "items");

    private static PlannedStatement Statement(string name, bool transactional = true) =>
        new(0, StatementKind.Table, name, $"-- {name}", LockLevel.None, transactional, []);

    private static List<string> Names(PlanStatements statements) => [.. statements.Ordered().Select(s => s.ObjectName)];

    [Fact]
    public void Statements_without_dependencies_keep_their_planned_order()
    {
        var statements = new PlanStatements("public");
        foreach (var name in new[] { "a", "b", "c", "d" }) statements.Add(Phase.InTransaction, Statement(name));
        var ordered = statements.Ordered();
        Assert.Equal(["a", "b", "c", "d"], ordered.Select(s => s.ObjectName));
        Assert.Equal([1, 2, 3, 4], ordered.Select(s => s.Order));
    }

    [Fact]
    public void Only_a_dependant_moves_to_just_after_what_it_needs()
    {
        var statements = new PlanStatements("public");
        statements.Add(Phase.InTransaction, Statement("function"), Function, [Table]);
        statements.Add(Phase.InTransaction, Statement("sequence"));
        statements.Add(Phase.InTransaction, Statement("table"), Table);
        statements.Add(Phase.InTransaction, Statement("other table"));
        statements.Add(Phase.InTransaction, Statement("view"), View, [Function]);
        statements.Add(Phase.InTransaction, Statement("grant"));
        Assert.Equal(["sequence", "table", "function", "other table", "view", "grant"], Names(statements));
    }

    [Fact]
    public void A_chain_of_needs_planned_backwards_is_reversed_and_the_rest_stays()
    {
        var statements = new PlanStatements("public");
        statements.Add(Phase.InTransaction, Statement("view"), View, [Function]);
        statements.Add(Phase.InTransaction, Statement("x"));
        statements.Add(Phase.InTransaction, Statement("function"), Function, [Table]);
        statements.Add(Phase.InTransaction, Statement("y"));
        statements.Add(Phase.InTransaction, Statement("table"), Table);
        statements.Add(Phase.InTransaction, Statement("z"));
        Assert.Equal(["x", "y", "table", "function", "view", "z"], Names(statements));
    }

    [Fact]
    public void A_need_no_statement_of_the_phase_creates_is_ignored()
    {
        var statements = new PlanStatements("public");
        statements.Add(Phase.InTransaction, Statement("view"), View, [ObjectKeys.Table("public", "exists_already")]);
        statements.Add(Phase.InTransaction, Statement("index"), ObjectKeys.Index("public", "i"), [View, Table]);
        statements.Add(Phase.InTransaction, Statement("other"));
        Assert.Equal(["view", "index", "other"], Names(statements));
    }

    [Fact]
    public void Each_phase_is_ordered_on_its_own_and_the_phases_keep_their_order()
    {
        var statements = new PlanStatements("public");
        // The index is built after the transaction; the table it needs is created in it: no reason to move either.
        statements.Add(Phase.After, Statement("index", transactional: false), ObjectKeys.Index("public", "i"), [Table]);
        statements.Add(Phase.After, Statement("constraint", transactional: false), null, [ObjectKeys.Index("public", "i")]);
        statements.Add(Phase.InTransaction, Statement("view"), View, [Table]);
        statements.Add(Phase.InTransaction, Statement("table"), Table);
        statements.Add(Phase.Before, Statement("enum value", transactional: false), null, [Table]);
        Assert.Equal(["enum value", "table", "view", "index", "constraint"], Names(statements));
    }

    [Fact]
    public void A_need_of_several_creators_waits_for_all_of_them()
    {
        var statements = new PlanStatements("public");
        var overloaded = ObjectKeys.Function("public", "f(integer)");
        statements.Add(Phase.InTransaction, Statement("view"), View, [overloaded]);
        statements.Add(Phase.InTransaction, Statement("first"), overloaded);
        statements.Add(Phase.InTransaction, Statement("between"));
        statements.Add(Phase.InTransaction, Statement("second"), overloaded);
        Assert.Equal(["first", "between", "second", "view"], Names(statements));
    }

    [Fact]
    public void A_cycle_is_a_schema_error_naming_its_objects_and_not_their_dependants()
    {
        var statements = new PlanStatements("public");
        statements.Add(Phase.InTransaction, Statement("index"), ObjectKeys.Index("public", "i"), [View]);
        statements.Add(Phase.InTransaction, Statement("view"), View, [Function]);
        statements.Add(Phase.InTransaction, Statement("unrelated"));
        statements.Add(Phase.InTransaction, Statement("function"), Function, [View]);
        var error = Assert.Throws<MigrationException>(() => statements.Ordered());
        Assert.Equal(MigrationErrors.SchemaError, error.ErrorName);
        Assert.Contains("view public.item_names needs function public.active_items(), which needs view public.item_names", error.Message);
        Assert.DoesNotContain("index", error.Message);
        Assert.DoesNotContain("unrelated", error.Message);
    }

    [Fact]
    public void A_statement_needing_what_it_creates_itself_is_no_cycle()
    {
        var statements = new PlanStatements("public");
        statements.Add(Phase.InTransaction, Statement("view"), View, [View]);
        statements.Add(Phase.InTransaction, Statement("other"));
        Assert.Equal(["view", "other"], Names(statements));
    }

    [Fact]
    public void Tens_of_thousands_of_statements_planned_in_reverse_dependency_order_are_ordered()
    {
        // Each table needs the next one planned: the whole plan reverses, which a scan per statement could not do at this size.
        const int count = 40_000;
        var statements = new PlanStatements("public");
        for (var i = 0; i < count; i++)
            statements.Add(Phase.InTransaction, Statement($"t{i}"), ObjectKeys.Table("public", $"t{i}"), [ObjectKeys.Table("public", $"t{i + 1}")]);
        var ordered = Names(statements);
        Assert.Equal(Enumerable.Range(0, count).Reverse().Select(i => $"t{i}"), ordered);
    }

    [Fact]
    public void Names_are_found_qualified_outside_literals_and_quoted_bodies()
    {
        var names = new ObjectNames();
        names.Add(new SchemaModel("public", [], [], [new TableModel("items", [], false), new TableModel("Odd \"Name\"", [], false)], [], [], [],
            new HashSet<string>())
        {
            Views = [new ViewModel("item_names", false, "", [], [])],
            Enums = [new EnumModel("mood", ["ok"])],
            Functions = [new FunctionModel("active_items", "", 'f', "SETOF items", ""),
                new FunctionModel("label", "integer", 'f', "text", ""), new FunctionModel("label", "text", 'f', "text", "")],
        });
        var found = names.In(
            "SELECT public.label(x.id), 'public.items', $b$ SELECT * FROM public.item_names $b$, $$public.mood$$ FROM public.active_items() x " +
            "JOIN public.\"Odd \"\"Name\"\"\" o ON true WHERE x.m = 'ok'::public.mood AND items.id = 1 AND other.items.id = 2");
        Assert.Equal(
            [ObjectKeys.Function("public", "label(integer)"), ObjectKeys.Function("public", "label(text)"),
                ObjectKeys.Function("public", "active_items()"), ObjectKeys.Table("public", "Odd \"Name\""), ObjectKeys.Type("public", "mood")],
            found);
        Assert.Equal([ObjectKeys.Table("public", "items")], names.In("FOREIGN KEY (item) REFERENCES public.items(id)"));
        Assert.Equal(ObjectKeys.View("public", "item_names"), names.Relation("public", "item_names"));
        Assert.Null(names.Relation("public", "mood"));
    }
}
