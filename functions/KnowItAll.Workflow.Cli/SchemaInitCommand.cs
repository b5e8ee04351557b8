using System.CommandLine;
using System.Text.Json;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;
using Npgsql;

namespace KnowItAll.Workflow.Cli;

/// <summary>What <c>knowitall schema init --json</c> prints.</summary>
public sealed record SchemaInitResult(bool Success, string Directory, string TargetSchema, IReadOnlyList<string> Files, bool SchemaValid,
    int ObjectsChecked,
    IReadOnlyList<string> Missing, IReadOnlyList<string> Drift);

/// <summary>
/// <c>knowitall schema init --connection CS [--schema DIR]</c>: writes the first schema/ of an existing database
/// (<see cref="SchemaInit"/>) into an empty or new directory, then validates it against that database, so the
/// team starts from files that describe the database exactly, or is told what they do not carry.
/// </summary>
public static class SchemaInitCommand
{
    public static Command Build(RedactingWriter output, RedactingWriter log)
    {
        var options = new EngineOptions();
        var init =
            new Command("init",
                "Write schema/ from an existing database (one file per table, then foreign keys, views, grants), then validate it against that " +
                "database.");
        foreach (var option in new Option[] { options.Connection, options.Schema, options.TargetSchema, options.Json }) init.Options.Add(option);
        init.SetAction(async (result, ct) =>
        {
            var json = result.GetValue(options.Json);
            try
            {
                var directory = result.GetValue(options.Schema)!.FullName;
                if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
                    throw new MigrationException(MigrationErrors.InvalidInput,
                        $"{directory} is not empty: schema init writes a new schema/ and never overwrites one");
                var connection = result.GetValue(options.Connection) ?? Environment.GetEnvironmentVariable("KNOWITALL_DB_CONNECTION");
                if (string.IsNullOrWhiteSpace(connection))
                    throw new MigrationException(MigrationErrors.InvalidInput,
                        "schema init reads an existing database: give it with --connection (or KNOWITALL_DB_CONNECTION)");
                var migration = new MigrationOptions { TargetSchema = result.GetValue(options.TargetSchema)!, RunBy = "knowitall schema init" };
                migration.Validate();
                await using var target = await DatabaseTarget.ResolveAsync(connection, log, ct);
                foreach (var writer in new[] { output, log })
                {
                    writer.AddSecret(target.Password);
                    writer.AddSecret(target.ConnectionString);
                }
                var settings = new NpgsqlConnectionStringBuilder(target.ConnectionString);
                var origin = $"database {settings.Database} on {settings.Host}";

                await using var dataSource = KnowItAll.Migrations.Connections.CreateDataSource(target.ConnectionString);
                IReadOnlyList<SchemaFile> files;
                await using (var db = await KnowItAll.Migrations.Connections.OpenAsync(dataSource, ct))
                    files = await SchemaInit.WriteAsync(db, migration, origin, ct);
                Directory.CreateDirectory(directory);
                foreach (var file in files) await File.WriteAllTextAsync(Path.Combine(directory, file.FileName), file.Text, ct);

                var validation = await new MigrationEngine(dataSource, SchemaSource.FromDirectory(directory), migration).ValidateAsync(ct);
                var summary = new SchemaInitResult(validation.SchemaValid && validation.Drift.Count == 0, directory, migration.TargetSchema,
                    files.Select(f => f.FileName).ToList(), validation.SchemaValid, validation.ObjectsChecked,
                    validation.Missing.Select(m => $"{m.Kind} {m.Name}{(m.Detail is null ? "" : ": " + m.Detail)}").ToList(),
                    validation.Drift.Select(d => $"{d.Kind} {d.Name}: {d.Reason}").ToList());
                if (json)
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(summary, CliJsonContext.Default.SchemaInitResult));
                }
                else
                {
                    await output.WriteLineAsync($"wrote {files.Count} files to {directory} from schema '{migration.TargetSchema}' of {origin}");
                    await output.WriteLineAsync(summary.Success
                        ? $"validated against that database: valid, no drift ({validation.ObjectsChecked} objects). Review the files, then " +
                            "`knowitall schema build`."
                        : "validated against that database: the files do not carry everything: " +
                            $"{string.Join("; ", summary.Missing.Concat(summary.Drift))}");
                    await output.WriteLineAsync(
                        "note: owners are not written; add ALTER … OWNER TO where schema/ should set one (an owner it does not state is " +
                        "never compared).");
                }
                return summary.Success ? ExitCodes.Success : ExitCodes.Failure;
            }
            catch (MigrationException e)
            {
                await log.WriteLineAsync($"error: {e.ErrorName}: {e.Message}");
                if (json)
                    await output.WriteLineAsync(JsonSerializer.Serialize(new CliError(false, e.ErrorName, e.Message),
                        CliJsonContext.Default.CliError));
                return ExitCodes.Failure;
            }
        });
        return init;
    }
}
