using System.Text.Json.Nodes;
using Amazon.CDK;
using KnowItAll.Workflow.Cdk;

namespace KnowItAll.Workflow.Cdk.Tests;

/// <summary>The whole app synthesised once, offline and without publishing (a placeholder bootstrap asset).</summary>
public sealed class SynthesizedApp : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("knowitall-cdk-");

    public SynthesizedApp()
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1");
        Root = WorkflowApp.RepositoryRootFrom(AppContext.BaseDirectory);
        var bundle = Directory.CreateDirectory(Path.Combine(_work.FullName, "bundle"));
        File.WriteAllText(Path.Combine(bundle.FullName, "bootstrap"), "placeholder: tests synthesise without publishing");
        OutDir = Path.Combine(_work.FullName, "cdk.out");
        var app = new App(new AppProps { Outdir = OutDir });
        Stacks = WorkflowApp.Build(app, Root, bundle.FullName);
        app.Synth();
    }

    public string Root { get; }

    public IReadOnlyDictionary<string, (WorkflowStack Workflow, PipelineStack Pipeline)> Stacks { get; }

    public string OutDir { get; }

    public JsonObject Template(string stack) => JsonNode.Parse(File.ReadAllText(Path.Combine(OutDir, stack + ".template.json")))!.AsObject();

    public static IEnumerable<(string Id, JsonObject Resource)> Resources(JsonObject template, string type) =>
        template["Resources"]!.AsObject().Where(r => r.Value!["Type"]!.GetValue<string>() == type).Select(r => (r.Key, r.Value!.AsObject()));

    public void Dispose() => _work.Delete(recursive: true);
}

/// <summary>One synthesis for every test class: jsii's runtime does not load the CDK twice in parallel.</summary>
[CollectionDefinition(Name)]
public sealed class SynthesizedAppCollection : ICollectionFixture<SynthesizedApp>
{
    public const string Name = "synthesized app";
}
