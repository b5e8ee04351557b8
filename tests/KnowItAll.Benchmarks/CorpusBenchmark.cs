using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Embedded;
using KnowItAll.Migrations.Planning;
using KnowItAll.Testing;
using Npgsql;

namespace KnowItAll.Benchmarks;

/// <summary>How one corpus case ended. Carried = converged, drift-only, or blocked where the case expects it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CorpusOutcome>))]
public enum CorpusOutcome
{
    [JsonStringEnumMemberName("converged")] Converged,
    [JsonStringEnumMemberName("drift-only")] DriftOnly,
    [JsonStringEnumMemberName("blocked")] Blocked,
    [JsonStringEnumMemberName("refused")] Refused,
    [JsonStringEnumMemberName("crash")] Crash,
    [JsonStringEnumMemberName("invalid-plan")] InvalidPlan,
    [JsonStringEnumMemberName("silent")] Silent,
    [JsonStringEnumMemberName("not-converged")] NotConverged,
    [JsonStringEnumMemberName("case-error")] CaseError,
}

public sealed record CorpusResult(
    string Case,
    string Class,
    string Expect,
    CorpusOutcome Outcome,
    bool Carried,
    string Reason,
    string? Error,
    IReadOnlyList<string> Plan,
    IReadOnlyList<string> Drift,
    IReadOnlyList<string> DumpDiff,
    long DurationMs);

public sealed record CorpusReport(string Directory, string? Filter, int Cases, int Carried, double CarriedPercent,
    IReadOnlyList<CorpusResult> Results);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CorpusReport))]
internal sealed partial class CorpusJsonContext : JsonSerializerContext;

/// <summary>
/// The change corpus (tests/corpus): each case's old DDL loaded into database A, the engine applies the new DDL,
/// then A's normalised <c>pg_dump --schema-only</c> is compared with database B, where the new DDL was loaded
/// directly. The engine runs in-process, as the CLI and the functions call it.
/// </summary>
public static class CorpusBenchmark
{
    private const int DiffLines = 40;

    public static async Task<int> RunAsync(EmbeddedPostgres server, string directory, string? filter, string? output, int parallel, TextWriter log)
    {
        var cases = ChangeCorpus.Load(directory)
            .Where(c => filter is null || c.Id.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (cases.Count == 0)
        {
            log.WriteLine($"no case under {directory} matches '{filter}'");
            return 1;
        }
        await ChangeCorpus.CreateRolesAsync(server.ConnectionString("postgres"), cases);
        var started = Stopwatch.GetTimestamp();
        var results = new CorpusResult[cases.Count];
        var counter = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
        {
            results[i] = await RunCaseAsync(server, cases[i], i);
            var done = Interlocked.Increment(ref counter);
            if (!results[i].Carried) log.WriteLine($"  [{done}/{cases.Count}] {results[i].Case}: {Wire(results[i].Outcome)}: {results[i].Reason}");
        });
        var carried = results.Count(r => r.Carried);
        var percent = Math.Round(100.0 * carried / results.Length, 1);
        Console.WriteLine(Table(results));
        Console.WriteLine();
        Console.WriteLine($"carried: {carried} of {results.Length} ({percent:0.0}%) in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
        if (output is not null)
        {
            var report = new CorpusReport(directory, filter, results.Length, carried, percent, results);
            // Readable SQL in the file: engineers read the plans and diffs; nothing here goes into HTML.
            var context =
                new CorpusJsonContext(
                    new JsonSerializerOptions(CorpusJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, context.CorpusReport));
            log.WriteLine($"per-case results: {output}");
        }
        return 0;
    }

    private static string Wire(CorpusOutcome outcome) => JsonSerializer.Serialize(outcome, CorpusJsonContext.Default.Options).Trim('"');

    /// <summary>Counts per class (rows) and outcome (columns), with the carried share per class.</summary>
    private static string Table(IReadOnlyList<CorpusResult> results)
    {
        var outcomes = Enum.GetValues<CorpusOutcome>();
        var lines = new List<string>
        {
            "| class | cases | " + string.Join(" | ", outcomes.Select(Wire)) + " | carried |",
            "|---|---:|" + string.Concat(outcomes.Select(_ => "---:|")) + "---:|",
        };
        foreach (var g in results.GroupBy(r => r.Class).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Append(results.GroupBy(_ => "**total**").Single()))
        {
            var n = g.Count();
            var carried = g.Count(r => r.Carried);
            lines.Add($"| {g.Key} | {n} | " +
                string.Join(" | ", outcomes.Select(o => g.Count(r => r.Outcome == o) is var k && k > 0 ? k.ToString() : "")) +
                      $" | {carried} ({100.0 * carried / n:0}%) |");
        }
        return string.Join('\n', lines);
    }

    private static async Task<CorpusResult> RunCaseAsync(EmbeddedPostgres server, CorpusCase c, int index)
    {
        var started = Stopwatch.GetTimestamp();
        var plan = new List<string>();
        var drift = new List<string>();
        IReadOnlyList<string> dumpDiff = [];
        CorpusResult Result(CorpusOutcome outcome, string reason, string? error = null)
        {
            var carried = outcome is CorpusOutcome.Converged or CorpusOutcome.DriftOnly
                || (outcome == CorpusOutcome.Blocked && c.Expect == CorpusExpectation.Blocked);
            return new CorpusResult(c.Id, c.Class, c.Expect.ToString().ToLowerInvariant(), outcome, carried, reason, error, plan, drift,
                dumpDiff.Take(DiffLines).ToList(), (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var prefix = $"corpus_{Environment.ProcessId}_{index}";
        string migrated, direct;
        try
        {
            migrated = await server.CreateDatabaseAsync(prefix + "_a");
            direct = await server.CreateDatabaseAsync(prefix + "_b");
            await ExecuteAsync(migrated, c.Old);
            if (c.Seed is not null) await ExecuteAsync(migrated, c.Seed);
            await ExecuteAsync(direct, c.New);
        }
        catch (Exception e)
        {
            return Result(CorpusOutcome.CaseError, "the case's own DDL does not load: " + e.Message);
        }

        try
        {
            await using var dataSource = Connections.CreateDataSource(migrated);
            var engine = new MigrationEngine(dataSource, SchemaSource.FromFiles(new SchemaFile("schema/new.sql", c.New)),
                new MigrationOptions { RunBy = "corpus", LockTimeout = TimeSpan.FromSeconds(10) });
            try
            {
                var planned = await engine.PlanAsync();
                plan.AddRange(planned.Statements.Select(s => $"{s.Order}. {s.Sql} {{{string.Join(",", s.Hazards.Select(h => h.Code.ToWire()))}}}"));
                plan.AddRange(planned.Blocking.Select(h => $"BLOCKED {h.Code.ToWire()}: {h.Message}"));
                await engine.ApplyAsync(new ApplyRequest(planned.PlanHash));
            }
            catch (MigrationException e) when (!HasStackTrace(e.Message))
            {
                return e.ErrorName switch
                {
                    MigrationErrors.UnsafeChange => Result(CorpusOutcome.Blocked, c.Expect == CorpusExpectation.Blocked ? "blocked as expected"
                        : "blocked: " + e.Message, e.Message),
                    MigrationErrors.SchemaError => Result(CorpusOutcome.Refused, "new.sql refused: " + FirstLine(e.Message), e.Message),
                    MigrationErrors.ApplyFailed => Result(CorpusOutcome.InvalidPlan, "apply failed: " + FirstLine(e.Message), e.Message),
                    MigrationErrors.PlanInvalid => Result(CorpusOutcome.InvalidPlan, "plan refused before apply: " + FirstLine(e.Message), e.Message),
                    _ => Result(CorpusOutcome.NotConverged, $"{e.ErrorName}: {FirstLine(e.Message)}", e.Message),
                };
            }

            var validation = await engine.ValidateAsync();
            drift.AddRange(validation.Drift.Select(d => $"{d.Kind} {d.Name}: {d.Reason}"));
            drift.AddRange(validation.Missing.Select(m => $"MISSING {m.Kind} {m.Name} {m.Detail}"));
            var replan = await engine.PlanAsync();
            var migratedDump = await SchemaDump.NormalisedAsync(migrated);
            var directDump = await SchemaDump.NormalisedAsync(direct);
            dumpDiff = SchemaDump.Diff(directDump, migratedDump);
            var clean = validation.SchemaValid && validation.Drift.Count == 0;

            if (c.Expect == CorpusExpectation.Blocked)
                return Result(CorpusOutcome.NotConverged, "the case expects a blocking hazard, the engine applied the change");
            if (dumpDiff.Count == 0)
            {
                if (!validation.SchemaValid) return Result(CorpusOutcome.NotConverged, "dumps equal but validate reports missing objects");
                if (replan.HasChanges)
                    return Result(CorpusOutcome.NotConverged, "dumps equal but the re-plan is not empty: " +
                        string.Join(" ", replan.Statements.Select(s => s.Sql)).Truncate(300));
                if (c.Expect == CorpusExpectation.Drift)
                    return Result(CorpusOutcome.NotConverged, "the case expects removed objects to stay as drift, but they are gone");
                return validation.Drift.Count == 0
                    ? Result(CorpusOutcome.Converged, "converged")
                    : Result(CorpusOutcome.NotConverged, "dumps equal but validate reports drift");
            }
            if (clean) return Result(CorpusOutcome.Silent, "validate is clean but the dumps differ");
            if (SchemaDump.DirectIsContained(directDump, migratedDump) && validation.SchemaValid && validation.Drift.Count > 0 && !replan.HasChanges)
                return Result(CorpusOutcome.DriftOnly, "only objects absent from new.sql remain, reported as drift");
            var why = !validation.SchemaValid ? "validate reports missing objects after apply"
                : replan.HasChanges ? "the re-plan is not empty"
                : "the dumps differ in what new.sql names";
            return Result(CorpusOutcome.NotConverged, why);
        }
        catch (Exception e)
        {
            return Result(CorpusOutcome.Crash, $"{e.GetType().Name}: {FirstLine(e.Message)}", e.ToString().Truncate(2000));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await DropAsync(server, prefix + "_a");
            await DropAsync(server, prefix + "_b");
        }
    }

    private static bool HasStackTrace(string message) => message.Contains("\n   at ", StringComparison.Ordinal);

    private static string FirstLine(string message) => message.Split('\n')[0].Truncate(300);

    private static string Truncate(this string text, int length) => text.Length <= length ? text : text[..length] + "…";

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        if (string.IsNullOrWhiteSpace(sql)) return;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task DropAsync(EmbeddedPostgres server, string database)
    {
        await ExecuteAsync(server.ConnectionString("postgres"), $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }
}
