namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Hazards a run must allow explicitly. A statement carrying one of these codes is planned (and hashed) like any other,
/// but the plan lists it as blocking, and Apply refuses the plan with <see cref="MigrationErrors.UnsafeChange"/>, unless
/// the run allows the code: <c>--allow-hazards CODE</c>, the environment's <c>allowHazards</c>, or, where plan approval is
/// required, the approval of that exact plan. A blocking hazard without a statement (a change with no safe way) can
/// never be allowed: allowing it would only drop the change silently.
/// </summary>
public static class OptInHazards
{
    public static IReadOnlySet<HazardCode> Codes { get; } = new HashSet<HazardCode>
    {
        HazardCode.DeletesData,
        HazardCode.LongExclusiveLock,
    };

    /// <summary>
    /// The most a rewrite, scan or index rebuild under ACCESS EXCLUSIVE may copy (heap, TOAST and indexes) and still run
    /// without being allowed: PostgreSQL rewrites 8 MiB in well under a second on modest hardware, less than the
    /// statement's lock timeout already lets writers queue. Past it the statement carries
    /// <see cref="HazardCode.LongExclusiveLock"/>.
    /// </summary>
    public const long BriefLockBytes = 8L * 1024 * 1024;

    /// <summary>Codes as the plan prints them, comma-separated; an unknown code or one that never blocks is an error naming it.</summary>
    public static IReadOnlySet<HazardCode> Parse(string? list, string origin)
    {
        var codes = new HashSet<HazardCode>();
        if (string.IsNullOrWhiteSpace(list)) return codes;
        foreach (var raw in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var code = Enum.GetValues<HazardCode>().Where(c => c.ToWire() == raw.ToUpperInvariant()).Cast<HazardCode?>().FirstOrDefault()
                ?? throw new MigrationException(MigrationErrors.InvalidInput,
                    $"{origin}: '{raw}' is not a hazard code; codes that can be allowed: {string.Join(", ", Codes.Select(c => c.ToWire()))}");
            if (!Codes.Contains(code))
                throw new MigrationException(MigrationErrors.InvalidInput,
                    $"{origin}: {code.ToWire()} is not a hazard a run can allow (it never holds a plan back, or the change it names has no safe " +
                    "statement); " +
                    $"codes that can be allowed: {string.Join(", ", Codes.Select(c => c.ToWire()))}");
            codes.Add(code);
        }
        return codes;
    }
}
