using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

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
            if (!value.Contains('\n')) _line.Append(value);
            else if (_line.Length == 0) WriteRedacted(value);
            else
            {
                _line.Append(value);
                FlushLine();
            }
        }
    }

    public override void Flush()
    {
        lock (_line) FlushLine();
        inner.Flush();
    }

    /// <summary>
    /// Writes <paramref name="value"/> as JSON and a newline, serialized in blocks of whole lines: a document of megabytes
    /// (validate's every object at 1,000 tables) is never held whole, as one string or one buffer, and each block is
    /// redacted like any line.
    /// </summary>
    public async Task WriteJsonAsync<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        // The asynchronous serializer hands its buffer over whenever it fills; the synchronous one keeps the whole document.
        await using (var blocks = new LineBlockStream(this)) await JsonSerializer.SerializeAsync(blocks, value, typeInfo);
        Write('\n');
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
        WriteRedacted(_line.ToString());
        _line.Clear();
    }

    private void WriteRedacted(string text)
    {
        string[] secrets;
        lock (_secrets) secrets = [.. _secrets];
        inner.Write(Redact(text, secrets));
        // Each line or block reaches the terminal or pipe now (the inner writer may buffer, Program's does).
        inner.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Flush();
        base.Dispose(disposing);
    }
}

/// <summary>
/// UTF-8 in, text out to a writer in blocks that end at a line break (or a whole buffer, for a line longer than it).
/// Every block and its buffer stay below the large-object threshold, so writing megabytes costs no full collection.
/// </summary>
internal sealed class LineBlockStream(TextWriter writer) : Stream
{
    private const int BlockChars = 16 * 1024;
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly char[] _buffer = new char[2 * BlockChars];
    private int _count;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            // At most BlockChars bytes decode to at most BlockChars chars, and fewer than BlockChars are pending.
            var take = Math.Min(buffer.Length, BlockChars);
            _count += _decoder.GetChars(buffer[..take], _buffer.AsSpan(_count), flush: false);
            buffer = buffer[take..];
            if (_count >= BlockChars) Emit();
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Emit()
    {
        var end = Array.LastIndexOf(_buffer, '\n', _count - 1) + 1;
        if (end == 0) end = _count;
        writer.Write(new string(_buffer, 0, end));
        Array.Copy(_buffer, end, _buffer, 0, _count - end);
        _count -= end;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _count > 0)
        {
            writer.Write(new string(_buffer, 0, _count));
            _count = 0;
        }
        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
