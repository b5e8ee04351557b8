using System.Text.RegularExpressions;
using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// The live model as a pending rename will leave it, so everything else is compared with the renamed schema. Names are
/// replaced where the catalog spells them (qualified names in definitions, a renamed column where its table's own
/// objects name it). A definition PostgreSQL would spell otherwise after the rename (a view keeps its old alias) only
/// differs for this plan: that view is replaced with schema/'s text, which is the same statement the next plan reads.
/// </summary>
internal static partial class LiveRename
{
    public static SchemaModel Apply(SchemaModel live, Declaration d) =>
        DeclarationDiff.Forms(d).FirstOrDefault(f => f.Form.Presence(live, d).Old).Form?.Rename?.Invoke(live, d) ?? live;

    public static SchemaModel Index(SchemaModel live, Declaration d) => live with
    {
        Indexes = live.Indexes.Select(i => i.Name == d.Name ? i with { Name = d.NewName!, Definition = Word(i.Definition, d.Name, d.NewName!) } : i)
            .ToList(),
        Comments = Comments(live, "INDEX", live.Schema, d.Name, d.NewName!),
    };

    public static SchemaModel View(SchemaModel live, Declaration d) => Relation(live, d.Name, d.NewName!) with
    {
        Views = live.Views.Select(v =>
            v with { Name = v.Name == d.Name ? d.NewName! : v.Name, Definition = Qualified(v.Definition, live.Schema, d.Name, d.NewName!) })
                .ToList(),
    };

    public static SchemaModel Sequence(SchemaModel live, Declaration d) => Relation(live, d.Name, d.NewName!) with
    {
        Sequences = live.Sequences.Select(s => s.Name == d.Name ? s with { Name = d.NewName! } : s).ToList(),
        Tables = live.Tables.Select(t => t with
        {
            Columns = t.Columns.Select(c => c with { Default = c.Default is null ? null : Qualified(c.Default, live.Schema, d.Name, d.NewName!) })
                .ToList(),
        }).ToList(),
    };

    /// <summary>A type's name where the other objects name it (the type's kind renames the type itself).</summary>
    public static SchemaModel Type(SchemaModel live, Declaration d)
    {
        string Q(string text) => Qualified(text, live.Schema, d.Name, d.NewName!);
        return live with
        {
            CompositeTypes = live.CompositeTypes.Select(c => c with { Attributes = c.Attributes.Select(a => a with { Type = Q(a.Type) }).ToList() })
                .ToList(),
            RangeTypes = live.RangeTypes.Select(r => r with { Subtype = Q(r.Subtype) }).ToList(),
            Domains = live.Domains.Select(o => o with { BaseType = Q(o.BaseType) }).ToList(),
            Tables = live.Tables.Select(t => t with
            {
                Columns = t.Columns.Select(c => c with { Type = Q(c.Type), Default = c.Default is null ? null : Q(c.Default) }).ToList(),
            }).ToList(),
            Functions = live.Functions.Select(f => f with { ArgumentTypes = Q(f.ArgumentTypes), Result = Q(f.Result) }).ToList(),
            Comments = Comments(live, "TYPE", live.Schema, d.Name, d.NewName!),
        };
    }

    public static SchemaModel EnumValue(SchemaModel live, Declaration d) => live with
    {
        Enums = live.Enums.Select(e => e.Name == d.Table ? e with { Labels = e.Labels.Select(l => l == d.Name ? d.NewName! : l).ToList() } : e)
            .ToList(),
    };

    public static SchemaModel Table(SchemaModel live, Declaration d) => Table(live, d.Name, d.NewName!);

    public static SchemaModel Column(SchemaModel live, Declaration d) => Column(live, d.Table!, d.Name, d.NewName!);

    private static SchemaModel Table(SchemaModel live, string old, string renamed)
    {
        string Q(string text) => Qualified(text, live.Schema, old, renamed);
        string T(string table) => table == old ? renamed : table;
        var model = Relation(live, old, renamed);
        return model with
        {
            Tables = model.Tables.Select(t => t with { Name = T(t.Name), PartitionOf = t.PartitionOf is null ? null : T(t.PartitionOf) }).ToList(),
            Indexes = model.Indexes.Select(i => i with { Table = T(i.Table), Definition = Q(i.Definition) }).ToList(),
            Constraints =
                model.Constraints.Select(c =>
                    c with
                    {
                        Table = T(c.Table),
                        ReferencedTable = c.ReferencedTable is null ? null : T(c.ReferencedTable),
                        Definition = Q(c.Definition)
                    }).ToList(),
            Sequences = model.Sequences.Select(s => s with { OwnedByTable = s.OwnedByTable is null ? null : T(s.OwnedByTable) }).ToList(),
            Views = model.Views.Select(v => v with { Definition = Q(v.Definition) }).ToList(),
            Triggers = model.Triggers.Select(t => t with { Table = T(t.Table), Definition = Q(t.Definition) }).ToList(),
            Policies = model.Policies.Select(p => p with { Table = T(p.Table) }).ToList(),
        };
    }

    /// <summary>What every relation rename changes: privileges and comments naming it.</summary>
    private static SchemaModel Relation(SchemaModel live, string old, string renamed) => live with
    {
        Privileges =
            live.Privileges.Select(p => p.ObjectKind is PrivilegeObjectKind.Table or PrivilegeObjectKind.Sequence or PrivilegeObjectKind.Column
                && p.ObjectName == old ? p with { ObjectName = renamed } : p).ToList(),
        Comments = live.Comments.Select(c => c with { Identity = Qualified(c.Identity, live.Schema, old, renamed) }).ToList(),
    };

    private static SchemaModel Column(SchemaModel live, string table, string old, string renamed)
    {
        string W(string text) => Word(text, old, renamed);
        var qualifiedTable = Spell(live.Schema) + "." + Spell(table);
        return live with
        {
            Tables = live.Tables.Select(t => t.Name != table ? t
                : t with { Columns = t.Columns.Select(c => c.Name == old ? c with { Name = renamed } : c).ToList() }).ToList(),
            Indexes = live.Indexes.Select(i => i.Table == table ? i with { Definition = W(i.Definition) } : i).ToList(),
            Constraints = live.Constraints.Select(c => c.Table == table
                ? c with { Definition = W(c.Definition) }
                : c.ReferencedTable == table ? c with { Definition = ReferencedColumns(c.Definition, qualifiedTable, old, renamed) } : c).ToList(),
            Sequences = live.Sequences.Select(s => s.OwnedByTable == table && s.OwnedByColumn == old ? s with { OwnedByColumn = renamed } : s)
                .ToList(),
            Views = live.Views.Select(v =>
                v with
                {
                    Definition = v.Definition.Replace($"{Spell(table)}.{Spell(old)}", $"{Spell(table)}.{Spell(renamed)}",
                    StringComparison.Ordinal)
                }).ToList(),
            Triggers = live.Triggers.Select(t => t.Table == table ? t with { Definition = W(t.Definition) } : t).ToList(),
            Policies =
                live.Policies.Select(p => p.Table == table
                    ? p with { Using = p.Using is null ? null : W(p.Using), Check = p.Check is null ? null : W(p.Check) } : p).ToList(),
            Privileges = live.Privileges.Select(p => p.ObjectKind == PrivilegeObjectKind.Column && p.ObjectName == table
                && p.Column == old ? p with { Column = renamed } : p).ToList(),
            Comments = live.Comments.Select(c => c.ObjectType == "COLUMN" && c.Identity == $"{qualifiedTable}.{Spell(old)}"
                ? c with { Identity = $"{qualifiedTable}.{Spell(renamed)}" } : c).ToList(),
        };
    }

    private static List<CommentModel> Comments(SchemaModel live, string type, string schema, string old, string renamed) =>
        live.Comments.Select(c => c.ObjectType == type ? c with { Identity = Qualified(c.Identity, schema, old, renamed) } : c).ToList();

    /// <summary>"schema.old" as the catalog spells it, where it stands as a whole name.</summary>
    private static string Qualified(string text, string schema, string old, string renamed)
    {
        var from = Spell(schema) + "." + Spell(old);
        return Regex.Replace(text, $@"(?<![\w$""]){Regex.Escape(from)}(?![\w$""])", (Spell(schema) + "." + Spell(renamed))
            .Replace("$", "$$", StringComparison.Ordinal));
    }

    /// <summary>The name as a whole word (not inside a longer name, a quoted name or a string literal's other words).</summary>
    private static string Word(string text, string old, string renamed) =>
        Regex.Replace(text, $@"(?<![\w$.""]){Regex.Escape(Spell(old))}(?![\w$""(])", Spell(renamed).Replace("$", "$$", StringComparison.Ordinal));

    private static string ReferencedColumns(string definition, string qualifiedTable, string old, string renamed)
    {
        var at = definition.IndexOf("REFERENCES " + qualifiedTable + "(", StringComparison.Ordinal);
        if (at < 0) return definition;
        var open = at + "REFERENCES ".Length + qualifiedTable.Length;
        var close = definition.IndexOf(')', open);
        return definition[..open] + Word(definition[open..(close + 1)], old, renamed) + definition[(close + 1)..];
    }

    /// <summary>A name as PostgreSQL prints it: quoted only when it has to be.</summary>
    internal static string Spell(string name) => Plain().IsMatch(name) ? name : Identifier.Quote(name);

    [GeneratedRegex("^[a-z_][a-z0-9_$]*$")]
    private static partial Regex Plain();
}
