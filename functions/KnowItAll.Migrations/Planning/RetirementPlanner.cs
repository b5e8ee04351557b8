using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// The statements of declarations: renames first (everything else is planned against the renamed schema), removals
/// last, dependants before what they depend on. Only a declaration in schema/ ever reaches here; each removal that
/// deletes data carries DELETES_DATA with the amount counted at plan time, which the run must allow.
/// </summary>
internal static class RetirementPlanner
{
    public static void PlanRenames(PlanBuilder b)
    {
        foreach (var d in b.Diff.Renames)
        {
            var sql = d.Kind switch
            {
                "table" => $"ALTER TABLE {b.Q(d.Name)} RENAME TO {Quote(d.NewName!)}",
                "column" => $"ALTER TABLE {b.Q(d.Table!)} RENAME COLUMN {Quote(d.Name)} TO {Quote(d.NewName!)}",
                "index" => $"ALTER INDEX {b.Q(d.Name)} RENAME TO {Quote(d.NewName!)}",
                "view" => $"ALTER VIEW {b.Q(d.Name)} RENAME TO {Quote(d.NewName!)}",
                "materialized_view" => $"ALTER MATERIALIZED VIEW {b.Q(d.Name)} RENAME TO {Quote(d.NewName!)}",
                "sequence" => $"ALTER SEQUENCE {b.Q(d.Name)} RENAME TO {Quote(d.NewName!)}",
                "type" => $"ALTER TYPE {b.Q(d.Name)} RENAME TO {Quote(d.NewName!)}",
                "enum_value" => $"ALTER TYPE {b.Q(d.Table!)} RENAME VALUE {Literal(d.Name)} TO {Literal(d.NewName!)}",
                _ => throw new InvalidOperationException($"no rename for {d.Kind}"),
            };
            var what = d.Kind == "enum_value" ? $"value '{d.Name}' of type {d.Table}" : $"{d.Kind.Replace('_', ' ')} {d.ObjectName}";
            b.Add(StatementKind.Rename, d.ObjectName, sql, LockLevel.AccessExclusive,
                [new Hazard(HazardCode.RenameBreaksOldName,
                    $"renames {what} to {d.NewName} ({d.Location}): running code that still uses the old name fails from this moment; deploy the " +
                    "code that uses the new name with it")]);
        }
    }

    public static void PlanRemovals(PlanBuilder b)
    {
        var droppedTables = b.Diff.Retirements.Where(r => r.Declaration.Kind == "table").Select(r => r.Declaration.Name)
            .ToHashSet(StringComparer.Ordinal);
        var viewOrder = b.Live.Views.Select((v, i) => (v.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var ordered = b.Diff.Retirements
            .OrderBy(r => Rank(r.Declaration, b.Live))
            .ThenByDescending(r => viewOrder.GetValueOrDefault(r.Declaration.Name, -1))
            .ToList();
        foreach (var r in ordered)
        {
            var d = r.Declaration;
            switch (d.Kind)
            {
                case "privilege":
                    Revoke(b, r);
                    break;
                case "column" when droppedTables.Contains(d.Table!):
                    // Its table goes too; the table's statement deletes (and counts) its values.
                    break;
                case "column":
                    var values = b.Diff.DataAmounts.TryGetValue(d.ObjectName, out var v) ? v : (long?)null;
                    b.Add(StatementKind.Drop, d.ObjectName, $"ALTER TABLE {b.Q(d.Table!)} DROP COLUMN IF EXISTS {Quote(d.Name)}",
                        LockLevel.AccessExclusive,
                        [Deletes($"drops column {d.ObjectName} ({d.Location}), deleting {Count(values, "non-null value")} it holds", values)]);
                    break;
                case "table":
                    var rows = b.Diff.DataAmounts.TryGetValue(d.Name, out var n) ? n : (long?)null;
                    b.Add(StatementKind.Drop, d.ObjectName, $"DROP TABLE IF EXISTS {b.Q(d.Name)}", LockLevel.AccessExclusive,
                        [Deletes($"drops table {d.Name} ({d.Location}), deleting its {Count(rows, "row")}", rows)]);
                    break;
                default:
                    b.Add(StatementKind.Drop, d.ObjectName, Sql(b, d), LockLevel.AccessExclusive);
                    break;
            }
        }
    }

    private static Hazard Deletes(string message, long? amount) =>
        new(HazardCode.DeletesData, amount is null ? message + " (not counted)" : message + " (counted at plan time)") { Amount = amount };

    private static string Count(long? amount, string unit) => amount switch
    {
        null => unit + "s",
        1 => "1 " + unit,
        _ => $"{amount:N0} {unit}s",
    };

    private static string Sql(PlanBuilder b, Declaration d) => d.Kind switch
    {
        "trigger" => $"DROP TRIGGER IF EXISTS {Quote(d.Name)} ON {b.Q(d.Table!)}",
        "policy" => $"DROP POLICY IF EXISTS {Quote(d.Name)} ON {b.Q(d.Table!)}",
        "view" => $"DROP VIEW IF EXISTS {b.Q(d.Name)}",
        "materialized_view" => $"DROP MATERIALIZED VIEW IF EXISTS {b.Q(d.Name)}",
        "function" => $"DROP FUNCTION IF EXISTS {GrantPlanner.Routine(b, d.Name)}",
        "procedure" => $"DROP PROCEDURE IF EXISTS {GrantPlanner.Routine(b, d.Name)}",
        "constraint" => $"ALTER TABLE {b.Q(d.Table!)} DROP CONSTRAINT IF EXISTS {Quote(d.Name)}",
        "index" => $"DROP INDEX IF EXISTS {b.Q(d.Name)}",
        "sequence" => $"DROP SEQUENCE IF EXISTS {b.Q(d.Name)}",
        "type" => $"DROP TYPE IF EXISTS {b.Q(d.Name)}",
        _ => throw new InvalidOperationException($"no removal for {d.Kind}"),
    };

    private static void Revoke(PlanBuilder b, Retirement r)
    {
        foreach (var group in r.Privileges.GroupBy(p => (p.ObjectKind, p.ObjectName, p.Column, p.Grantee)))
        {
            var (kind, objectName, column, grantee) = group.Key;
            var privileges = string.Join(", ", group.Select(p => p.Privilege).Distinct().Order(StringComparer.Ordinal));
            var target = GrantPlanner.Target(b, kind, objectName);
            var role = grantee == "PUBLIC" ? "PUBLIC" : Quote(grantee);
            b.Add(StatementKind.Revoke, r.Declaration.ObjectName,
                $"REVOKE {privileges}{(column is null ? "" : $" ({Quote(column)})")} ON {target} FROM {role}", LockLevel.None);
        }
    }

    /// <summary>Dependants first: privileges, triggers, policies, views, routines, foreign keys, other constraints, indexes, columns, tables,
    /// sequences, types.</summary>
    private static int Rank(Declaration d, SchemaModel live) => d.Kind switch
    {
        "privilege" => 0,
        "trigger" => 1,
        "policy" => 2,
        "view" or "materialized_view" => 3,
        "function" or "procedure" => 4,
        "constraint" => live.Constraints.Any(c => c.Table == d.Table && c.Name == d.Name && c.Type == 'f') ? 5 : 6,
        "index" => 7,
        "column" => 8,
        "table" => 9,
        "sequence" => 10,
        _ => 11,
    };
}
