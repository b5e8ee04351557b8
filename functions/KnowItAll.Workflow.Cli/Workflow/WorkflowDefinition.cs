using KnowItAll.StateMachine;
using KnowItAll.Workflow.Functions;

namespace KnowItAll.Workflow.Cli.Workflow;

/// <summary>
/// statemachine/migration.asl.json with its placeholders filled the way the CDK app fills them: one function ARN per
/// entry of the function catalog, and the environment name.
/// </summary>
public static class WorkflowDefinition
{
    public const string StateMachineName = "knowitall-migration";
    public const string Region = "us-east-1";
    public const string Account = "123456789012";

    public static string DefaultPath() => Path.Combine(Path.GetDirectoryName(EngineOptions.DefaultSchemaDirectory())!, "statemachine",
        "migration.asl.json");

    public static string FunctionArn(string environment, string function) =>
        $"arn:aws:lambda:{Region}:{Account}:function:knowitall-{environment}-{function}";

    public static Dictionary<string, string> Substitutions(string environment, ApprovalPolicy approval)
    {
        var values = FunctionCatalog.All.ToDictionary(f => f.ArnPlaceholder, f => FunctionArn(environment, f.Name), StringComparer.Ordinal);
        values["Environment"] = environment;
        approval.AddTo(values);
        return values;
    }

    public static StateMachineDefinition Load(string path, string environment, ApprovalPolicy approval)
    {
        if (!File.Exists(path)) throw new DefinitionException($"state machine definition '{path}' does not exist");
        return StateMachineDefinition.Load(File.ReadAllText(path), Substitutions(environment, approval));
    }
}
