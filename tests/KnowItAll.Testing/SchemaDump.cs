using System.Diagnostics;
using KnowItAll.Migrations.Embedded;
using Npgsql;

namespace KnowItAll.Testing;

/// <summary>
/// <c>pg_dump --schema-only</c> of a database, normalised so that a migrated database and a direct load of the
/// same DDL compare equal exactly when their schemas are the same: an attribute the engine does not read still
/// shows here. Owners, privileges and comments are kept (they are part of the schema). What is dropped: comment
/// and SET lines, blank lines, <c>\restrict</c>, the engine's own history schema; column lines inside CREATE TABLE
/// are sorted (a migration can only append columns); GRANT/REVOKE lines of one ACL entry are split one privilege per
/// line and sorted (their grouping and order follow the order the grants were made); trailing commas and semicolons
/// are dropped. The result is a sorted list of dump entries, one per object.
/// </summary>
public static class SchemaDump
{
    /// <summary>The engine's bookkeeping schema (MigrationOptions.HistorySchema's default), never part of a desired schema.</summary>
    public const string HistorySchema = "knowitall_migrations";

    public static async Task<string> DumpAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var bin = EmbeddedPostgres.FindBinaries() ?? throw new InvalidOperationException("no PostgreSQL binaries for pg_dump");
        var info = new ProcessStartInfo(Path.Combine(bin, "pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--schema-only", "--exclude-schema=" + HistorySchema, "-h", cs.Host ?? "127.0.0.1", "-p", cs.Port.ToString(), "-U",
            cs.Username ?? "postgres", cs.Database ?? "postgres" })
            info.ArgumentList.Add(a);
        info.Environment["PGPASSWORD"] = cs.Password ?? "";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start pg_dump");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"pg_dump exited with {process.ExitCode}: {(await errors).Trim()}");
        return await output;
    }

    /// <summary>The normalised dump: its entries, each normalised, sorted, separated by a blank line.</summary>
    public static async Task<string> NormalisedAsync(string connectionString, CancellationToken cancellationToken = default) =>
        string.Join("\n\n", Entries(await DumpAsync(connectionString, cancellationToken)));

    /// <summary>The dump's entries (pg_dump separates them by blank lines and comment headers), normalised and sorted.</summary>
    public static IReadOnlyList<string> Entries(string dump)
    {
        var entries = new List<string>();
        var current = new List<string>();
        foreach (var raw in dump.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("--", StringComparison.Ordinal) && current.Count > 0 && !InsideBody(current))
            {
                Flush(entries, current);
                continue;
            }
            if (Skipped(line) && !InsideBody(current)) continue;
            current.Add(line);
        }
        Flush(entries, current);
        entries.Sort(StringComparer.Ordinal);
        return entries;
    }

    /// <summary>The lines of a normalised dump (entries joined), for a line-level comparison.</summary>
    public static IReadOnlyList<string> Lines(string normalised) =>
        normalised.Split('\n').Where(l => l.Length > 0).ToList();

    /// <summary>Lines only the direct load has ("- direct") and lines only the migrated database has ("+ migrated").</summary>
    public static IReadOnlyList<string> Diff(string direct, string migrated)
    {
        var expected = Counts(Lines(direct));
        var actual = Counts(Lines(migrated));
        var diff = new List<string>();
        foreach (var (line, n) in expected)
            for (var i = actual.GetValueOrDefault(line); i < n; i++) diff.Add("- direct:   " + line);
        foreach (var (line, n) in actual)
            for (var i = expected.GetValueOrDefault(line); i < n; i++) diff.Add("+ migrated: " + line);
        return diff;
    }

    /// <summary>True when every line of the direct load is in the migrated dump (the migrated one may only have more).</summary>
    public static bool DirectIsContained(string direct, string migrated) => Diff(direct, migrated)
        .All(l => l.StartsWith("+", StringComparison.Ordinal));

    private static Dictionary<string, int> Counts(IEnumerable<string> lines)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var l in lines) counts[l] = counts.GetValueOrDefault(l) + 1;
        return counts;
    }

    private static bool Skipped(string line) =>
        line.Length == 0
        || line.StartsWith("--", StringComparison.Ordinal)
        || line.StartsWith("SET ", StringComparison.Ordinal)
        || line.StartsWith("SELECT pg_catalog.set_config(", StringComparison.Ordinal)
        || line.StartsWith("\\restrict", StringComparison.Ordinal)
        || line.StartsWith("\\unrestrict", StringComparison.Ordinal);

    // A dollar-quoted function body may hold blank lines and "--" comments: they belong to the entry.
    private static bool InsideBody(List<string> current) =>
        current.Sum(l => CountOf(l, "$$")) % 2 == 1 || current.Sum(l => CountOf(l, "$_$")) % 2 == 1;

    private static int CountOf(string line, string token)
    {
        var n = 0;
        for (var i = line.IndexOf(token, StringComparison.Ordinal); i >= 0; i = line.IndexOf(token, i + token.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    private static void Flush(List<string> entries, List<string> current)
    {
        while (current.Count > 0 && current[^1].Length == 0) current.RemoveAt(current.Count - 1);
        if (current.Count == 0) return;
        entries.Add(string.Join("\n", Normalise(current)));
        current.Clear();
    }

    private static List<string> Normalise(List<string> lines)
    {
        var result = new List<string>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            result.Add(line);
            if (!(line.StartsWith("CREATE ", StringComparison.Ordinal) && line.Contains(" TABLE ", StringComparison.Ordinal) && line.EndsWith('(')))
                continue;
            // The column and inline-constraint lines up to the closing parenthesis, without their separating commas.
            var end = lines.FindIndex(i + 1, l => l.StartsWith(')'));
            if (end < 0) continue;
            result.AddRange(lines.Skip(i + 1).Take(end - i - 1).Select(l => l.TrimEnd(',')).Order(StringComparer.Ordinal));
            i = end - 1;
        }
        if (result.All(l => l.StartsWith("GRANT ", StringComparison.Ordinal) || l.StartsWith("REVOKE ", StringComparison.Ordinal)))
        {
            result = result.SelectMany(OnePrivilegePerLine).ToList();
            result.Sort(StringComparer.Ordinal);
        }
        // Separators follow position (the last column, the last enum label, a clause moved to the next line), not content.
        return result.Select(l => l.TrimEnd(',', ';')).ToList();
    }

    /// <summary>"GRANT SELECT,INSERT ON TABLE t TO r;" as one line per privilege, so that one privilege more or less is one line.</summary>
    private static IEnumerable<string> OnePrivilegePerLine(string line)
    {
        var verb = line.StartsWith("GRANT ", StringComparison.Ordinal) ? "GRANT " : "REVOKE ";
        var on = line.IndexOf(" ON ", StringComparison.Ordinal);
        if (on < 0) return [line];
        var privileges = new List<string>();
        var depth = 0;
        var start = verb.Length;
        for (var i = verb.Length; i < on; i++)
        {
            if (line[i] == '(') depth++;
            else if (line[i] == ')') depth--;
            else if (line[i] == ',' && depth == 0)
            {
                privileges.Add(line[start..i]);
                start = i + 1;
            }
        }
        privileges.Add(line[start..on]);
        return privileges.Select(p => verb + p.Trim() + line[on..]);
    }
}
