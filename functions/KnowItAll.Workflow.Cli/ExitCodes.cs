namespace KnowItAll.Workflow.Cli;

/// <summary>The CLI's documented exit codes.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;

    /// <summary>validate: the database lacks objects schema/ declares (an apply has work to do).</summary>
    public const int ChangesPending = 2;
}
