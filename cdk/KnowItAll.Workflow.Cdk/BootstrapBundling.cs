using System.Diagnostics;
using Amazon.CDK.AWS.Lambda;

namespace KnowItAll.Workflow.Cdk;

/// <summary>
/// The functions' code asset: the Native AOT bootstrap with schema/ beside it, published once per synth on this
/// machine with dotnet publish (no Docker); a prebuilt directory can be given instead (the pipeline, tests).
/// </summary>
public static class BootstrapBundling
{
    public static string Prepare(string repositoryRoot, string? prebuiltDirectory)
    {
        if (prebuiltDirectory is not null)
        {
            if (!File.Exists(Path.Combine(prebuiltDirectory, "bootstrap")))
                throw new InvalidOperationException($"{prebuiltDirectory} has no bootstrap");
            return prebuiltDirectory;
        }
        var output = Path.Combine(repositoryRoot, "cdk.out", "bootstrap-bundle");
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = repositoryRoot };
        foreach (var a in new[] { "publish", "functions/KnowItAll.Workflow.Functions", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "--nologo" })
            info.ArgumentList.Add(a);
        using (var publish = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet publish"))
        {
            publish.WaitForExit();
            if (publish.ExitCode != 0) throw new InvalidOperationException($"dotnet publish of the bootstrap failed ({publish.ExitCode})");
        }
        foreach (var symbols in Directory.GetFiles(output, "*.dbg").Concat(Directory.GetFiles(output, "*.pdb"))) File.Delete(symbols);
        var schema = Directory.CreateDirectory(Path.Combine(output, "schema"));
        foreach (var file in Directory.GetFiles(Path.Combine(repositoryRoot, "schema"), "*.sql")) File.Copy(file, Path.Combine(schema.FullName, Path.GetFileName(file)));
        return output;
    }

    /// <summary>A code asset of the bundle; CDK wants a new one for every stack.</summary>
    public static Code Code(string bundle) => Amazon.CDK.AWS.Lambda.Code.FromAsset(bundle);
}
