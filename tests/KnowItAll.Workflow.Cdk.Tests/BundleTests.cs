using KnowItAll.Workflow.Cdk;

namespace KnowItAll.Workflow.Cdk.Tests;

/// <summary>The functions' bundle carries schema/ with its compiled model, and refuses to be built when the model is stale.</summary>
public sealed class BundleTests
{
    [Fact]
    public void The_repository_schema_and_its_compiled_model_make_a_bundle()
    {
        BootstrapBundling.CheckSchema(Path.Combine(WorkflowApp.RepositoryRootFrom(AppContext.BaseDirectory), "schema"));
    }

    [Fact]
    public void A_bundle_whose_compiled_model_is_stale_or_missing_is_refused_naming_the_file()
    {
        var root = WorkflowApp.RepositoryRootFrom(AppContext.BaseDirectory);
        var bundle = Directory.CreateTempSubdirectory("knowitall-bundle-");
        try
        {
            File.WriteAllText(Path.Combine(bundle.FullName, "bootstrap"), "placeholder");
            var schema = Directory.CreateDirectory(Path.Combine(bundle.FullName, "schema"));
            foreach (var file in Directory.GetFiles(Path.Combine(root, "schema")))
                File.Copy(file, Path.Combine(schema.FullName, Path.GetFileName(file)));
            Assert.Equal(bundle.FullName, BootstrapBundling.Prepare(root, bundle.FullName));

            File.AppendAllText(Path.Combine(schema.FullName, "20_tree_nodes.sql"), "\nALTER TABLE tree_nodes ADD COLUMN icon text;\n");
            var stale = Assert.Throws<InvalidOperationException>(() => BootstrapBundling.Prepare(root, bundle.FullName));
            Assert.Contains("20_tree_nodes.sql changed", stale.Message);

            File.Delete(Path.Combine(schema.FullName, "knowitall.lock.json"));
            var missing = Assert.Throws<InvalidOperationException>(() => BootstrapBundling.Prepare(root, bundle.FullName));
            Assert.Contains("there is no compiled model", missing.Message);
        }
        finally
        {
            bundle.Delete(recursive: true);
        }
    }
}
