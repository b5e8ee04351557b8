using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// A new enum is created in the transaction. A value added to an existing enum cannot be used by the
/// transaction that adds it, so ADD VALUE runs before it, on its own; IF NOT EXISTS makes a rerun harmless.
/// </summary>
internal static class EnumPlanner
{
    public static void Plan(PlanBuilder b)
    {
        foreach (var e in b.Diff.MissingEnums)
        {
            b.Add(StatementKind.Enum, e.Name, CreateSql(b.Q(e.Name), e), LockLevel.None, creates: ObjectKeys.Type(b.Schema, e.Name));
            b.Other.Add($"enum {e.Name}");
        }
        foreach (var v in b.Diff.EnumValues)
        {
            var place = v.Before is not null ? $" BEFORE {Literal(v.Before)}" : v.After is not null ? $" AFTER {Literal(v.After)}" : "";
            b.Add(StatementKind.EnumValue, $"{v.Enum}.{v.Label}", $"ALTER TYPE {b.Q(v.Enum)} ADD VALUE IF NOT EXISTS {Literal(v.Label)}{place}",
                LockLevel.None,
                [new Hazard(HazardCode.EnumValueOutsideTransaction,
                    "runs before the transaction, on its own: the value stays if a later statement fails (it is only added, never used by the " +
                    "plan until committed)")],
                Phase.Before);
            b.Other.Add($"enum value {v.Enum}.{v.Label}");
        }
    }

    public static string CreateSql(string qualifiedName, Model.EnumModel e) =>
        $"CREATE TYPE {qualifiedName} AS ENUM ({string.Join(", ", e.Labels.Select(Literal))})";
}
