using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// The declarations of schema/ against the live database. A rename is pending while the live database has the old name
/// and not the new one; the rest of the comparison then sees the live schema as the rename leaves it, so a renamed
/// column is never a new empty column beside the old one. A removal is pending while the live object exists; its drift
/// line gives way to the planned removal. Without a declaration nothing here happens: absence stays drift.
/// </summary>
public static class DeclarationDiff
{
    /// <summary>Pending renames, and the live model as they will leave it (the model every other kind is compared with).</summary>
    public static SchemaModel Renames(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        foreach (var d in desired.Declarations.Where(d => d.Action == DeclarationAction.Rename))
        {
            var (hasOld, hasNew) = Presence(live, d);
            if (!hasOld) continue;
            if (hasNew)
            {
                diff.Drift.Add(new DriftItem(d.Kind, d.ObjectName,
                    $"declared renamed to {d.NewName} ({d.Location}), but the database has both names: nothing is renamed"));
                continue;
            }
            diff.Renames.Add(d);
            diff.Status(d.Kind, d.ObjectName, ObjectStatus.Missing, $"declared renamed to {d.NewName} ({d.Location})");
            live = LiveRename.Apply(live, d);
        }
        return live;
    }

    /// <summary>Pending removals and revokes; their objects' drift lines are replaced by the planned removal.</summary>
    public static void Removals(SchemaModel desired, SchemaModel live, SchemaDiff diff)
    {
        var gone = new HashSet<(string Kind, string Name)>();
        var droppedTables = new HashSet<string>(StringComparer.Ordinal);
        // A function the plan drops and creates again has PostgreSQL's default EXECUTE for PUBLIC again, revoked before or not.
        var privileges = live.Privileges.Concat(diff.DroppedFunctions
                .Select(f => new PrivilegeModel(PrivilegeObjectKind.Function, f.Signature, null, "EXECUTE", "PUBLIC") { Initial = true }))
            .DistinctBy(p => p.Key).ToList();
        foreach (var d in desired.Declarations.Where(d => d.Action != DeclarationAction.Rename))
        {
            if (d.Action == DeclarationAction.Revoke)
            {
                var held = privileges.Where(p => Covers(d, p)).ToList();
                if (held.Count == 0) continue;
                diff.Retirements.Add(new Retirement(d, held));
                foreach (var p in held) gone.Add(("privilege", p.Describe()));
                diff.Status("privilege", d.ObjectName, ObjectStatus.Missing, $"declared revoked ({d.Location}); still granted");
                continue;
            }
            if (!Presence(live, d).Old) continue;
            diff.Retirements.Add(new Retirement(d, []));
            var (kind, form) = Forms(d).First(f => f.Form.Presence(live, d).Old);
            gone.Add((form.Drift ?? kind.Name, d.ObjectName));
            if (d.Kind == "table") droppedTables.Add(d.Name);
            diff.Status(d.Kind, d.ObjectName, ObjectStatus.Missing, $"declared removed ({d.Location}); still in the database");
        }
        diff.Drift.RemoveAll(item => gone.Contains((item.Kind, item.Name))
                                     || (item.Kind is "index" or "constraint" or "trigger" or "policy" && OnTable(live, item, droppedTables)));
    }

    /// <summary>Whether a REVOKE declaration takes away a privilege.</summary>
    public static bool Covers(Declaration d, PrivilegeModel p) =>
        d.Action == DeclarationAction.Revoke && p.ObjectKind.ToWire() == (d.Table == "table" && p.ObjectKind == PrivilegeObjectKind.Sequence
            ? "sequence" : d.Table)
        && p.ObjectName == d.Name && p.Column == d.Column
        && d.Privileges.Contains(p.Privilege, StringComparer.Ordinal) && d.Grantees.Contains(p.Grantee, StringComparer.Ordinal);

    /// <summary>
    /// A declaration that contradicts the model it was loaded with is the schema's error: a removed object schema/ creates
    /// again after the removal, a rename whose new name schema/ does not define or whose old name it still does.
    /// </summary>
    public static void CheckAgainst(SchemaModel desired)
    {
        foreach (var d in desired.Declarations)
        {
            if (d.Action == DeclarationAction.Revoke)
            {
                if (desired.Privileges.FirstOrDefault(p => Covers(d, p)) is { } kept)
                    throw Contradiction(d, $"schema/ grants {kept.Describe()} after revoking it");
                continue;
            }
            var (hasOld, hasNew) = Presence(desired, d);
            if (d.Action == DeclarationAction.Drop && hasOld)
                throw Contradiction(d, $"schema/ creates {d.Kind} {d.ObjectName} again after declaring it removed");
            if (d.Action != DeclarationAction.Rename) continue;
            if (hasOld) throw Contradiction(d, $"schema/ still creates {d.Kind} {d.ObjectName} after declaring it renamed to {d.NewName}");
            if (!hasNew) throw Contradiction(d, $"{d.Kind} {d.ObjectName} is declared renamed to {d.NewName}, which schema/ does not define");
        }
    }

    private static MigrationException Contradiction(Declaration d, string why) => new(MigrationErrors.SchemaError, $"{d.Location}: {why}");

    /// <summary>Whether <paramref name="model"/> has the declaration's object under its (old) name, and under its new name.</summary>
    internal static (bool Old, bool New) Presence(SchemaModel model, Declaration d) =>
        Forms(d).Select(f => f.Form.Presence(model, d)).Aggregate((Old: false, New: false), (a, p) => (a.Old || p.Old, a.New || p.New));

    /// <summary>The kinds' forms of the declaration's kind (a type's are the enum's, the composite type's and the range type's).</summary>
    internal static IEnumerable<(ObjectKind Kind, DeclarationForm Form)> Forms(Declaration d) =>
        KindRegistry.All.SelectMany(k => k.Declarations.Where(f => f.Kind == d.Kind).Select(f => (k, f)));

    private static bool OnTable(SchemaModel live, DriftItem item, HashSet<string> tables) => item.Kind switch
    {
        "index" => live.Indexes.Any(i => i.Name == item.Name && tables.Contains(i.Table)),
        _ => tables.Any(t => item.Name.StartsWith(t + ".", StringComparison.Ordinal)),
    };
}

/// <summary>A pending removal: the declaration, and for a revoke the live privileges it takes away.</summary>
public sealed record Retirement(Declaration Declaration, IReadOnlyList<PrivilegeModel> Privileges);
