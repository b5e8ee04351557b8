using System.Security.Cryptography;
using System.Text;

namespace KnowItAll.Migrations.Model;

/// <summary>
/// A text writer that SHA-256-hashes the UTF-8 of what is written to it, through a small buffer: the same digest
/// as hashing the whole text's bytes, without holding the text or its bytes.
/// </summary>
internal sealed class CanonicalHashWriter : TextWriter
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Encoder _encoder = new UTF8Encoding(false).GetEncoder();
    private readonly char[] _chars = new char[8192];
    private readonly byte[] _bytes = new byte[8192 * 3 + 4];
    private int _pending;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (_pending == _chars.Length) Flush(final: false);
        _chars[_pending++] = value;
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        Write(value.AsSpan());
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_pending == _chars.Length) Flush(final: false);
            var take = Math.Min(buffer.Length, _chars.Length - _pending);
            buffer[..take].CopyTo(_chars.AsSpan(_pending));
            _pending += take;
            buffer = buffer[take..];
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    /// <summary>The lower-case hex SHA-256 of everything written.</summary>
    public string Finish()
    {
        Flush(final: true);
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    private void Flush(bool final)
    {
        var count = _encoder.GetBytes(_chars, 0, _pending, _bytes, 0, final);
        _hash.AppendData(_bytes, 0, count);
        _pending = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
