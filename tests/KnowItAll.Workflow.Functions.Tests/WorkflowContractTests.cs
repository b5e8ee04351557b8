using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using KnowItAll.Migrations.Reporting;

namespace KnowItAll.Workflow.Functions.Tests;

/// <summary>
/// The definition and the types agree: every <c>$.…</c> path that migration.asl.json reads or writes is a property of
/// <see cref="WorkflowState"/> (and of the digests under it), as the generated JSON context names it.
/// </summary>
public sealed partial class WorkflowContractTests
{
    private static readonly JsonNode Definition = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "statemachine", "migration.asl.json")))!;

    [GeneratedRegex(@"(?<!\$)\$\.[A-Za-z0-9_.]+")]
    private static partial Regex PathInIntrinsic();

    private static IEnumerable<string> Paths(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        if ((key == "Variable" || key.EndsWith("Path", StringComparison.Ordinal) || key.EndsWith(".$", StringComparison.Ordinal))
                            && text.StartsWith("$.", StringComparison.Ordinal))
                            yield return text;
                        else if (key.EndsWith(".$", StringComparison.Ordinal) && text.StartsWith("States.", StringComparison.Ordinal))
                            foreach (Match m in PathInIntrinsic().Matches(text)) yield return m.Value;
                    }
                    foreach (var inner in Paths(value)) yield return inner;
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    foreach (var inner in Paths(item)) yield return inner;
                break;
        }
    }

    /// <summary>Keys a Pass state builds with its own Parameters as its whole output (the input wrapped for the next state), not state
    /// fields.</summary>
    private static HashSet<string> Wrappers() => Definition["States"]!.AsObject()
        .Select(s => s.Value!.AsObject())
        .Where(s => s["Type"]!.GetValue<string>() == "Pass" && s["Parameters"] is JsonObject && s["ResultPath"] is null)
        .SelectMany(s => s["Parameters"]!.AsObject().Select(p => p.Key.TrimEnd('$').TrimEnd('.')))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Null when the path names properties of the workflow's types; else the first segment that does not.</summary>
    private static string? Unknown(string path, HashSet<string> wrappers)
    {
        var segments = path[2..].Split('.');
        if (wrappers.Contains(segments[0])) segments = segments[1..];
        JsonTypeInfo info = ReportJsonContext.Default.WorkflowState;
        foreach (var segment in segments)
        {
            if (info.Kind == JsonTypeInfoKind.Dictionary) return null;
            var property = info.Kind == JsonTypeInfoKind.Object ? info.Properties.FirstOrDefault(p => p.Name == segment) : null;
            if (property is null) return segment;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            info = ReportJsonContext.Default.GetTypeInfo(type) ?? throw new InvalidOperationException($"{type} is not in ReportJsonContext");
        }
        return null;
    }

    [Fact]
    public void Every_state_path_of_the_definition_is_a_property_of_the_digest_types()
    {
        var wrappers = Wrappers();
        var paths = Paths(Definition).Distinct().ToList();

        Assert.Contains("$.plan.plan_hash", paths);
        Assert.Contains("$.verify_permissions.missing_count", paths);
        Assert.Contains("$.plan_hash", paths);
        Assert.True(paths.Count > 20, string.Join(", ", paths));
        Assert.All(paths,
            path => Assert.True(Unknown(path, wrappers) is null, $"{path}: '{Unknown(path, wrappers)}' is not a property of the workflow's types"));
    }

    [Theory]
    [InlineData("$.plan.no_such_count", "no_such_count")]
    [InlineData("$.verify_permissions.missing.role", "role")]
    [InlineData("$.dryrun", "dryrun")]
    public void A_path_the_types_do_not_have_is_found(string path, string unknown)
    {
        Assert.Equal(unknown, Unknown(path, Wrappers()));
    }
}
