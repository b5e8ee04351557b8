using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// What a replacement takes with the object it drops, put back once every kind is compared: the indexes, triggers,
/// grants and comments of a dropped view or function (as schema/ says them, and the grants and comments it had beyond that), and
/// the comments of replaced indexes, constraints, policies and constraint triggers.
/// </summary>
internal static class ReplacedDependants
{
    public static void Restore(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var schema = desired.Schema;
        var comments = diff.Comments.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        void Comment(Func<CommentModel, bool> on)
        {
            // schema/'s text where it has one; else the live one, which the drop would lose.
            foreach (var c in desired.Comments.Where(on).Concat(live.Comments.Where(on)))
                if (comments.Add(c.Key)) diff.Comments.Add(c);
        }

        foreach (var view in diff.DroppedViews.Select(v => desired.Views.First(d => d.Name == v.Name)))
        {
            var columns = view.Columns.Select(ColumnName).ToList();
            Comment(c => c.ObjectType is "VIEW" or "MATERIALIZED VIEW" && Replacements.Names(c.Identity, schema, view.Name)
                         || c.ObjectType == "COLUMN" && columns.Any(col => Replacements.Names(c.Identity, schema, view.Name, col)));
            foreach (var i in desired.Indexes.Where(i => i.Table == view.Name))
            {
                diff.ReplacedIndexes.RemoveAll(r => r.Desired.Name == i.Name);
                if (!diff.MissingIndexes.Contains(i)) diff.MissingIndexes.Add(i);
                Comment(c => c.ObjectType == "INDEX" && Replacements.Names(c.Identity, schema, i.Name));
            }
            foreach (var t in desired.Triggers.Where(t => t.Table == view.Name))
            {
                diff.ReplacedTriggers.RemoveAll(r => r.Table == t.Table && r.Name == t.Name);
                if (!diff.MissingTriggers.Contains(t)) diff.MissingTriggers.Add(t);
                Comment(c => c.ObjectType == "TRIGGER" && Replacements.NamesOn(c.Identity, schema, t.Name, t.Table));
            }
            var grants = diff.MissingPrivileges.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var p in desired.Privileges.Concat(live.Privileges)
                         .Where(p => p.ObjectKind is PrivilegeObjectKind.Table or PrivilegeObjectKind.Column && p.ObjectName == view.Name
                             && (p.Column is null || columns.Contains(p.Column))))
                if (grants.Add(p.Key)) diff.MissingPrivileges.Add(p);
        }
        foreach (var f in diff.DroppedFunctions)
        {
            var kind = f.Kind == 'p' ? "PROCEDURE" : "FUNCTION";
            Comment(c => c.ObjectType == kind && NamesFunction(c.Identity, schema, f));
            var grants = diff.MissingPrivileges.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var p in desired.Privileges.Concat(live.Privileges)
                         .Where(p => p.ObjectKind == PrivilegeObjectKind.Function && p.ObjectName == f.Signature && !p.Initial))
                if (grants.Add(p.Key)) diff.MissingPrivileges.Add(p);
        }
        foreach (var r in diff.ReplacedIndexes)
            Comment(c => c.ObjectType == "INDEX" && Replacements.Names(c.Identity, schema, r.Desired.Name));
        foreach (var r in diff.ReplacedConstraints)
            Comment(c => c.ObjectType == "CONSTRAINT" && Replacements.NamesOn(c.Identity, schema, r.Desired.Name, r.Desired.Table));
        foreach (var p in diff.ReplacedPolicies)
            Comment(c => c.ObjectType == "POLICY" && Replacements.NamesOn(c.Identity, schema, p.Name, p.Table));
        foreach (var t in diff.ReplacedTriggers.Where(TriggerPlanner.IsConstraintTrigger))
            Comment(c => c.ObjectType == "TRIGGER" && Replacements.NamesOn(c.Identity, schema, t.Name, t.Table));
    }

    /// <summary>
    /// Whether PostgreSQL's identity of a function ("schema.name(types)") names <paramref name="f"/>'s name: every overload of it
    /// matches, whose comment or owner is then set again as it is, which changes nothing.
    /// </summary>
    internal static bool NamesFunction(string identity, string schema, FunctionModel f)
    {
        var open = identity.IndexOf('(', StringComparison.Ordinal);
        return open > 0 && Replacements.Names(identity[..open], schema, f.Name);
    }

    /// <summary>The name of a view column as <see cref="ViewModel.Columns"/> holds it ("name type", the name quoted when it must be).</summary>
    private static string ColumnName(string column)
    {
        if (!column.StartsWith('"')) return column[..column.IndexOf(' ', StringComparison.Ordinal)];
        var end = 1;
        while (end < column.Length && !(column[end] == '"' && (end + 1 == column.Length || column[end + 1] != '"')))
            end += column[end] == '"' ? 2 : 1;
        return column[1..end].Replace("\"\"", "\"", StringComparison.Ordinal);
    }
}
