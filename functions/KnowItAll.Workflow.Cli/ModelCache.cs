namespace KnowItAll.Workflow.Cli;

/// <summary>
/// Where the CLI keeps desired models it had to build from the files (no compiled model, or a stale one), so the
/// next call with the same files reads the model instead of building it again: KNOWITALL_CACHE_DIR, else
/// $XDG_CACHE_HOME/knowitall/models, else ~/.cache/knowitall/models.
/// </summary>
public static class ModelCache
{
    public static string Directory()
    {
        if (Environment.GetEnvironmentVariable("KNOWITALL_CACHE_DIR") is { Length: > 0 } configured) return configured;
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "knowitall", "models");
    }
}
