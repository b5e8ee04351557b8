namespace KnowItAll.Migrations.Planning;

/// <summary>The heaviest lock a statement takes on an existing table (PostgreSQL's names).</summary>
public static class LockLevel
{
    public const string None = "NONE";
    public const string ShareUpdateExclusive = "SHARE UPDATE EXCLUSIVE";
    public const string Share = "SHARE";
    public const string ShareRowExclusive = "SHARE ROW EXCLUSIVE";
    public const string AccessExclusive = "ACCESS EXCLUSIVE";
}

/// <summary>What a planned statement changes; also the key of the apply result's lists.</summary>
public static class ChangeKind
{
    public const string Extension = "extension";
    public const string Sequence = "sequence";
    public const string SequenceOwner = "sequence_owner";
    public const string Table = "table";
    public const string Column = "column";
    public const string Constraint = "constraint";
    public const string Validate = "validate";
    public const string Index = "index";
    public const string Grant = "grant";
}
