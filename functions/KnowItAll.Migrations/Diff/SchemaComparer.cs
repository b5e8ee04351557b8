using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>Compares the desired and live models kind by kind, each kind through <see cref="KeyedComparison{T}"/>.</summary>
public static class SchemaComparer
{
    public static SchemaDiff Compare(SchemaModel desired, SchemaModel live)
    {
        var diff = new SchemaDiff();
        live = DeclarationDiff.Renames(desired, live, diff);
        diff.RenamedLive = live;
        ExtensionDiff.Compare(desired, live, diff);
        EnumDiff.Compare(desired, live, diff);
        DomainDiff.Compare(desired, live, diff);
        CompositeTypeDiff.Compare(desired, live, diff);
        SequenceDiff.Compare(desired, live, diff);
        FunctionDiff.Compare(desired, live, diff);
        TableDiff.Compare(desired, live, diff);
        IndexDiff.Compare(desired, live, diff);
        ConstraintDiff.Compare(desired, live, diff);
        ViewDiff.Compare(desired, live, diff);
        TriggerDiff.Compare(desired, live, diff);
        PolicyDiff.Compare(desired, live, diff);
        CommentDiff.Compare(desired, live, diff);
        PrivilegeDiff.Compare(desired, live, diff);
        ReplacedDependants.Restore(desired, live, diff);
        OwnerDiff.Compare(desired, live, diff);
        DeclarationDiff.Removals(desired, live, diff);
        return diff;
    }
}
