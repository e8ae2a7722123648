namespace Heimdall.Core.PromQL.Printing;

/// <summary>A reusable growable character buffer (one per thread) for the printers.</summary>
internal sealed class CharBuffer
{
    [ThreadStatic]
    private static CharBuffer? t_cached;

    private char[] _chars = new char[256];

    public int Length { get; set; }

    public static CharBuffer Rent()
    {
        var buffer = t_cached ?? new CharBuffer();
        t_cached = null;
        buffer.Length = 0;
        return buffer;
    }

    public static void Return(CharBuffer buffer)
    {
        if (buffer._chars.Length <= 1 << 16)
        {
            t_cached = buffer;
        }
    }

    public Span<char> Written => _chars.AsSpan(0, Length);

    public void Append(char c)
    {
        if (Length == _chars.Length)
        {
            Grow(1);
        }
        _chars[Length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (Length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }
        text.CopyTo(_chars.AsSpan(Length));
        Length += text.Length;
    }

    public void Append(string text) => Append(text.AsSpan());

    public void Append(long value)
    {
        var span = GetSpan(20);
        value.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        Length += written;
    }

    public Span<char> GetSpan(int size)
    {
        if (Length + size > _chars.Length)
        {
            Grow(size);
        }
        return _chars.AsSpan(Length, size);
    }

    private void Grow(int needed)
    {
        var size = Math.Max(_chars.Length * 2, Length + needed);
        Array.Resize(ref _chars, size);
    }

    public override string ToString() => new(_chars, 0, Length);
}
