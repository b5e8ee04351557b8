using System.Reflection;
using System.Text.Json.Nodes;
using KnowItAll.Migrations;

namespace KnowItAll.Workflow.Functions.Tests;

/// <summary>One registry of error names: every name the definition catches, retries or raises itself is MigrationErrors', AWS's (States.*, Lambda.*),
/// or none.</summary>
public sealed class ErrorNameTests
{
    private static readonly HashSet<string> Registry = typeof(MigrationErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> Names(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "ErrorEquals") foreach (var name in value!.AsArray()) yield return name!.GetValue<string>();
                    else if (key == "Error" && value is JsonValue v) yield return v.GetValue<string>();
                    foreach (var inner in Names(value)) yield return inner;
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    foreach (var inner in Names(item)) yield return inner;
                break;
        }
    }

    [Fact]
    public void Every_error_name_of_the_definition_is_registered()
    {
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "statemachine", "migration.asl.json")));
        var names = Names(definition).Distinct().ToList();

        Assert.Contains(MigrationErrors.ApprovalTimedOut, names);
        Assert.Contains(MigrationErrors.ApprovalMismatch, names);
        Assert.All(names, name => Assert.True(Registry.Contains(name) || name.StartsWith("States.", StringComparison.Ordinal)
            || name.StartsWith("Lambda.", StringComparison.Ordinal),
            $"{name} is neither in MigrationErrors nor an AWS error name"));
    }
}
