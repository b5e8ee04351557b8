using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;
using Npgsql;

namespace KnowItAll.Workflow.Cli;

/// <summary>What <c>knowitall schema build --json</c> prints.</summary>
public sealed record SchemaBuildResult(
    bool Success, string Path, bool Checked, bool UpToDate, int ServerMajorVersion, string TargetSchema, string SourcesSha256,
    string ModelFingerprint, int Files, int Tables, int Indexes, int Constraints, int Sequences, int Privileges, long DurationMs);

/// <summary>
/// <c>knowitall schema build [--check]</c>: compiles schema/ once, normalised by a real PostgreSQL (the embedded one
/// when no connection is given), into the compiled model beside it (<c>schema/knowitall.lock.json</c>). With
/// <c>--check</c> it writes nothing and fails when the committed file is not what a build gives now.
/// </summary>
public static class SchemaCommands
{
    public static Command Build(RedactingWriter output, RedactingWriter log)
    {
        var options = new EngineOptions();
        var schema = new Command("schema", "The desired schema's compiled model.");
        var build =
            new Command("build",
                "Compile schema/ into its model file (knowitall.lock.json beside the .sql files): validate, plan and apply then read it instead of " +
                "running schema/ each time.");
        var check =
            new Option<bool>("--check") { Description = "Write nothing; exit 1 when the model file is missing or differs from a fresh build (CI)" };
        var outputPath =
            new Option<FileInfo?>("--output") { Description = "Where to write the model (default: knowitall.lock.json in the schema directory)" };
        foreach (var option in new Option[] { options.Connection, options.Schema, options.TargetSchema, options.Json, check, outputPath })
            build.Options.Add(option);
        build.SetAction(async (result, ct) =>
        {
            var json = result.GetValue(options.Json);
            try
            {
                var started = Stopwatch.GetTimestamp();
                var directory = result.GetValue(options.Schema)!.FullName;
                var source = SchemaSource.FromDirectory(directory);
                var path = result.GetValue(outputPath)?.FullName ?? CompiledModelFile.DefaultPath(directory);
                var migration = new MigrationOptions { TargetSchema = result.GetValue(options.TargetSchema)!, RunBy = "knowitall schema build" };
                migration.Validate();
                await using var target = await DatabaseTarget.ResolveAsync(result.GetValue(options.Connection), log, ct);
                output.AddSecret(target.Password);
                log.AddSecret(target.Password);
                output.AddSecret(target.ConnectionString);
                log.AddSecret(target.ConnectionString);

                CompiledModel compiled;
                await using (var dataSource = KnowItAll.Migrations.Connections.CreateDataSource(target.ConnectionString))
                await using (var connection = await Connections.OpenAsync(dataSource, ct))
                {
                    var model = await DesiredSchemaLoader.LoadAsync(connection, source, migration, ct);
                    compiled = CompiledModelFile.Compile(model, source, connection.PostgreSqlVersion.Major);
                }
                var bytes = CompiledModelFile.Serialize(compiled);
                var existing = File.Exists(path) ? await File.ReadAllBytesAsync(path, ct) : null;
                var upToDate = existing is not null && existing.AsSpan().SequenceEqual(bytes);
                var checking = result.GetValue(check);
                if (!checking && !upToDate) await File.WriteAllBytesAsync(path, bytes, ct);
                var summary = new SchemaBuildResult(
                    Success: upToDate || !checking, path, checking, upToDate, compiled.ServerMajorVersion, compiled.TargetSchema,
                    compiled.SourcesSha256,
                    compiled.ModelFingerprint, compiled.Sources.Count, compiled.Model.Tables.Count, compiled.Model.Indexes.Count,
                    compiled.Model.Constraints.Count,
                    compiled.Model.Sequences.Count, compiled.Model.Privileges.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (json) await output.WriteLineAsync(JsonSerializer.Serialize(summary, CliJsonContext.Default.SchemaBuildResult));
                if (checking && !upToDate)
                {
                    await log.WriteLineAsync(
                        $"error: {MigrationErrors.SchemaError}: {path} is not what `knowitall schema build` gives now: " +
                        $"{Difference(path, existing, compiled, source)}; " +
                                             "run `knowitall schema build` and commit the file");
                    return ExitCodes.Failure;
                }
                if (!json)
                {
                    var verb = checking ? "is up to date" : upToDate ? "was already up to date" : "written";
                    await output.WriteLineAsync(
                        $"{path} {verb}: {summary.Files} files (sha256 {summary.SourcesSha256[..12]}), {summary.Tables} tables, " +
                                                $"{summary.Indexes} indexes, {summary.Constraints} constraints, {summary.Sequences} sequences, " +
                                                $"{summary.Privileges} grants; " +
                                                $"normalised by PostgreSQL {summary.ServerMajorVersion} for schema '{summary.TargetSchema}' in " +
                                                $"{summary.DurationMs} ms");
                }
                return ExitCodes.Success;
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
        schema.Subcommands.Add(build);
        schema.Subcommands.Add(SchemaInitCommand.Build(output, log));
        return schema;
    }

    /// <summary>Says what differs between the file on disk and a fresh build, most telling reason first.</summary>
    private static string Difference(string path, byte[]? existing, CompiledModel fresh, SchemaSource source)
    {
        if (existing is null) return "there is no such file";
        CompiledModel old;
        try
        {
            old = CompiledModelFile.Read(path);
        }
        catch (MigrationException e)
        {
            return e.Message;
        }
        if (CompiledModelFile.Mismatch(old, source, fresh.TargetSchema) is { } stale) return stale;
        if (old.ServerMajorVersion != fresh.ServerMajorVersion)
            return $"it was normalised by PostgreSQL {old.ServerMajorVersion}, this build by PostgreSQL {fresh.ServerMajorVersion}";
        return old.ModelFingerprint != fresh.ModelFingerprint
            ? "the same files give another model now (the model was edited, or the engine reads it differently)"
            : "its bytes differ from a fresh build (it was edited or reformatted)";
    }
}
