using System.Text;

namespace KnowItAll.StateMachine;

/// <summary>A Mermaid flowchart of a definition, deterministic so a committed copy can be checked against it.</summary>
public static class MermaidDiagram
{
    public static string Generate(StateMachineDefinition definition)
    {
        var text = new StringBuilder("flowchart TD\n");
        text.Append($"    start((start)) --> {Id(definition.StartAt)}\n");
        foreach (var state in definition.States.Values)
        {
            var label = state.Name.Replace("\"", "'", StringComparison.Ordinal);
            text.Append("    ").Append(Id(state.Name)).Append(state.Type switch
            {
                "Choice" => $"{{\"{label}\"}}",
                "Succeed" => $"([\"{label}\"])",
                "Fail" => $"[[\"{label}\"]]",
                "Pass" => $"(\"{label}\")",
                _ => $"[\"{label}\"]",
            }).Append('\n');
        }
        foreach (var state in definition.States.Values)
        {
            foreach (var (target, label) in state.Transitions())
                text.Append(
                    $"    {Id(state.Name)} -->{(label.Length > 0 ? $"|{label.Replace("|", "/", StringComparison.Ordinal)}|" : "")} {Id(target)}\n");
            if (state.End || state.Type == "Succeed") text.Append($"    {Id(state.Name)} --> succeeded((succeeded))\n");
            if (state.Type == "Fail") text.Append($"    {Id(state.Name)} --> failed((failed))\n");
        }
        return text.ToString();
    }

    private static string Id(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
