using System.Text.Json;
using KnowItAll.Migrations.Desired;
using Npgsql;

namespace KnowItAll.Testing;

/// <summary>What a corpus case expects: the new DDL converges, leaves removed objects as drift, or is refused as unsafe.</summary>
public enum CorpusExpectation
{
    Converge,
    Drift,
    Blocked,
}

/// <summary>
/// One schema-change case of the corpus (tests/corpus/&lt;class&gt;/&lt;case&gt;/): the database starts from
/// <see cref="Old"/> (after <see cref="Roles"/>, run as superuser, and with <see cref="Seed"/> rows) and
/// is migrated to <see cref="New"/>.
/// </summary>
public sealed record CorpusCase(string Class, string Name, string Directory, string Old, string New, string? Seed, string? Roles,
    CorpusExpectation Expect, string? Note)
{
    public string Id => Class + "/" + Name;

    public override string ToString() => Id;
}

/// <summary>Reads the change corpus and runs its role pre-steps.</summary>
public static class ChangeCorpus
{
    public static string DefaultDirectory => Path.Combine(Repo.Root, "tests", "corpus");

    /// <summary>Every case under <paramref name="root"/>, ordered by class and name. A malformed case is an error naming its directory.</summary>
    public static IReadOnlyList<CorpusCase> Load(string root)
    {
        if (!System.IO.Directory.Exists(root)) throw new DirectoryNotFoundException($"no corpus directory at {root}");
        var cases = new List<CorpusCase>();
        foreach (var classDir in System.IO.Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            foreach (var caseDir in System.IO.Directory.GetDirectories(classDir).Order(StringComparer.Ordinal))
                cases.Add(Read(Path.GetFileName(classDir), caseDir));
        return cases;
    }

    public static CorpusCase Read(string @class, string dir)
    {
        string? Optional(string file) => File.Exists(Path.Combine(dir, file)) ? File.ReadAllText(Path.Combine(dir, file)) : null;
        string Required(string file) => Optional(file) ?? throw new InvalidDataException($"{dir}: {file} is missing");
        var expect = CorpusExpectation.Converge;
        string? note = null;
        if (Optional("case.json") is { } json)
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "expect":
                        expect = p.Value.GetString() switch
                        {
                            "converge" => CorpusExpectation.Converge,
                            "drift" => CorpusExpectation.Drift,
                            "blocked" => CorpusExpectation.Blocked,
                            var other => throw new InvalidDataException($"{dir}/case.json: expect '{other}' is not converge, drift or blocked"),
                        };
                        break;
                    case "note":
                        note = p.Value.GetString();
                        break;
                    default:
                        throw new InvalidDataException($"{dir}/case.json: unknown field '{p.Name}' (expect, note)");
                }
            }
        }
        return new CorpusCase(@class, Path.GetFileName(dir), dir, Required("old.sql"), Required("new.sql"), Optional("seed.sql"),
            Optional("roles.sql"), expect, note);
    }

    /// <summary>
    /// Runs every case's roles.sql once, statement by statement, on the server of <paramref name="adminConnectionString"/>.
    /// Roles belong to the server, so cases share them: a role that already exists is kept.
    /// </summary>
    public static async Task CreateRolesAsync(string adminConnectionString, IEnumerable<CorpusCase> cases)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        foreach (var c in cases.Where(c => c.Roles is not null))
            foreach (var statement in SqlScript.Split(c.Id + "/roles.sql", c.Roles!))
            {
                await using var command = new NpgsqlCommand(statement.Text, connection);
                try { await command.ExecuteNonQueryAsync(); }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateObject) { }
            }
    }
}
