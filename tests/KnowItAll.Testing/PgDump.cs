using System.Diagnostics;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Embedded;
using Npgsql;

namespace KnowItAll.Testing;

/// <summary>The machine's <c>pg_dump --schema-only</c>, run against a test database: the reference a schema is compared with.</summary>
public static class PgDump
{
    /// <summary>The dump's text; <paramref name="arguments"/> are added (e.g. <c>-n public</c>). The engine's history schema is left out.</summary>
    public static async Task<string> SchemaOnlyAsync(string connectionString, params string[] arguments)
    {
        var binaries = EmbeddedPostgres.FindBinaries() ?? throw new InvalidOperationException("no PostgreSQL binaries for pg_dump");
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var info = new ProcessStartInfo(Path.Combine(binaries, "pg_dump")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["--schema-only", "-N", new MigrationOptions().HistorySchema, "-h", settings.Host!, "-p",
            settings.Port.ToString(), "-U", settings.Username!, .. arguments, settings.Database!])
            info.ArgumentList.Add(a);
        info.Environment["PGPASSWORD"] = settings.Password ?? "";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("pg_dump failed: " + await errors);
        return await output;
    }

    /// <summary>A dump without what differs between two dumps of equal schemas: comments, blank lines, the \restrict keys.</summary>
    public static string Normalized(string dump) => string.Join('\n', dump.Split('\n')
        .Where(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal) && !l.StartsWith("\\restrict ", StringComparison.Ordinal)
            && !l.StartsWith("\\unrestrict ", StringComparison.Ordinal)));
}
