using System.Text;

namespace KnowItAll.Workflow.Cli;

/// <summary>
/// The last line of defence for secrets: everything the CLI prints goes through here, and any known secret
/// (passwords, whole connection strings) is replaced before it reaches the terminal or a pipe.
/// </summary>
public sealed class RedactingWriter(TextWriter inner) : TextWriter
{
    private readonly List<string> _secrets = [];
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public void AddSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 4) return;
        lock (_secrets) if (!_secrets.Contains(secret)) _secrets.Add(secret);
    }

    public override void Write(char value)
    {
        lock (_line)
        {
            _line.Append(value);
            if (value == '\n') FlushLine();
        }
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (_line)
        {
            _line.Append(value);
            if (value.Contains('\n')) FlushLine();
        }
    }

    public override void Flush()
    {
        lock (_line) FlushLine();
        inner.Flush();
    }

    public static string Redact(string text, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.OrderByDescending(s => s.Length))
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text;
    }

    private void FlushLine()
    {
        if (_line.Length == 0) return;
        string[] secrets;
        lock (_secrets) secrets = [.. _secrets];
        inner.Write(Redact(_line.ToString(), secrets));
        _line.Clear();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Flush();
        base.Dispose(disposing);
    }
}
