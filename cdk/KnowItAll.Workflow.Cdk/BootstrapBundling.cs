using System.Diagnostics;
using Amazon.CDK.AWS.Lambda;
using KnowItAll.Migrations;
using KnowItAll.Migrations.Desired;
using KnowItAll.Workflow.Functions;

namespace KnowItAll.Workflow.Cdk;

/// <summary>
/// The functions' code asset: the Native AOT bootstrap with schema/ and its compiled model beside it, published once
/// per synth on this machine with dotnet publish (no Docker); a prebuilt directory can be given instead (the pipeline,
/// tests). A compiled model that does not match the schema files fails the bundle: deployed functions would refuse it.
/// </summary>
public static class BootstrapBundling
{
    public static string Prepare(string repositoryRoot, string? prebuiltDirectory)
    {
        if (prebuiltDirectory is not null)
        {
            if (!File.Exists(Path.Combine(prebuiltDirectory, "bootstrap")))
                throw new InvalidOperationException($"{prebuiltDirectory} has no bootstrap");
            var bundled = Path.Combine(prebuiltDirectory, "schema");
            if (Directory.Exists(bundled)) CheckSchema(bundled);
            return prebuiltDirectory;
        }
        var sources = Path.Combine(repositoryRoot, "schema");
        CheckSchema(sources);
        var output = Path.Combine(repositoryRoot, "cdk.out", "bootstrap-bundle");
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = repositoryRoot };
        foreach (var a in new[] { "publish", "functions/KnowItAll.Workflow.Functions", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o",
            output, "--nologo" })
            info.ArgumentList.Add(a);
        using (var publish = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet publish"))
        {
            publish.WaitForExit();
            if (publish.ExitCode != 0) throw new InvalidOperationException($"dotnet publish of the bootstrap failed ({publish.ExitCode})");
        }
        foreach (var symbols in Directory.GetFiles(output, "*.dbg").Concat(Directory.GetFiles(output, "*.pdb"))) File.Delete(symbols);
        var schema = Directory.CreateDirectory(Path.Combine(output, "schema"));
        foreach (var file in Directory.GetFiles(sources, "*.sql").Append(CompiledModelFile.DefaultPath(sources)))
            File.Copy(file, Path.Combine(schema.FullName, Path.GetFileName(file)));
        return output;
    }

    /// <summary>Fails unless the schema directory carries the compiled model of exactly its files, for the functions' target schema.</summary>
    public static void CheckSchema(string schemaDirectory)
    {
        try
        {
            CompiledModelFile.EnsureCurrent(schemaDirectory, new FunctionEnvironment().TargetSchema);
        }
        catch (MigrationException e)
        {
            throw new InvalidOperationException($"the functions' bundle cannot be built: {e.Message}", e);
        }
    }

    /// <summary>A code asset of the bundle; CDK wants a new one for every stack.</summary>
    public static Code Code(string bundle) => Amazon.CDK.AWS.Lambda.Code.FromAsset(bundle);
}
