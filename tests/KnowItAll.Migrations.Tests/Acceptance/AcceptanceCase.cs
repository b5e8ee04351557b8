using KnowItAll.Migrations.Planning;

namespace KnowItAll.Migrations.Tests.Acceptance;

/// <summary>
/// One acceptance case: the database starts from <see cref="Old"/> (run directly) and <see cref="Seed"/>, the
/// engine migrates it to <see cref="New"/>. <see cref="Hazards"/> is the exact set of hazard codes the plan carries
/// (statements' and blocking ones); <see cref="Sql"/> are texts some planned statement must contain.
/// <see cref="Blocked"/>: Apply must refuse and change nothing. <see cref="Drift"/>: the desired schema leaves
/// something live alone (a removal), so the result is compared with the new DDL only where both have objects.
/// </summary>
public sealed record AcceptanceCase(
    string Name,
    string Old,
    string New,
    string? Seed = null,
    HazardCode[]? Hazards = null,
    string[]? Sql = null,
    bool Blocked = false,
    bool Drift = false)
{
    /// <summary>Opt-in hazards the run allows (<c>--allow-hazards</c>).</summary>
    public HazardCode[]? Allow { get; init; }

    /// <summary>Queries that must return true once the case has run (applied or refused): the data the plan must keep.</summary>
    public string[]? Checks { get; init; }

    public override string ToString() => Name;
}
