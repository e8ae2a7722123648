using System.Buffers;
using System.Text;

namespace Heimdall.Core.Federation;

/// <summary>
/// Strict <c>application/x-www-form-urlencoded</c> (and URL query) parsing and encoding, as Go's
/// <c>url.ParseQuery</c> reads it: <c>+</c> is a space, <c>%XX</c> an escaped byte, empty pairs skipped; an invalid
/// escape, a <c>;</c> separator or a value that is not valid UTF-8 is an error, never replaced.
/// </summary>
internal static class FormUrlEncoding
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses <paramref name="input"/> into <paramref name="into"/>; returns null or the error.</summary>
    public static string? TryParse(ReadOnlySpan<byte> input, int maxFields, List<KeyValuePair<string, string>> into)
    {
        var fields = 0;
        while (!input.IsEmpty)
        {
            var amp = input.IndexOf((byte)'&');
            var pair = amp < 0 ? input : input[..amp];
            input = amp < 0 ? default : input[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }
            if (pair.IndexOf((byte)';') >= 0)
            {
                return "invalid semicolon separator in query";
            }
            if (++fields > maxFields)
            {
                return $"too many form fields (at most {maxFields})";
            }
            var eq = pair.IndexOf((byte)'=');
            var rawKey = eq < 0 ? pair : pair[..eq];
            var rawValue = eq < 0 ? default : pair[(eq + 1)..];
            if (Unescape(rawKey, out var key) is { } keyError)
            {
                return keyError;
            }
            if (Unescape(rawValue, out var value) is { } valueError)
            {
                return valueError;
            }
            into.Add(new(key, value));
        }
        return null;
    }

    /// <summary>Parses a raw query string (with or without the leading <c>?</c>), which must be ASCII.</summary>
    public static string? TryParseQueryString(string? queryString, int maxFields, List<KeyValuePair<string, string>> into)
    {
        if (string.IsNullOrEmpty(queryString))
        {
            return null;
        }
        var s = queryString.AsSpan();
        if (s[0] == '?')
        {
            s = s[1..];
        }
        if (s.ContainsAnyExceptInRange((char)0x20, (char)0x7E))
        {
            return "the query string contains characters that are not percent-encoded";
        }
        var rented = ArrayPool<byte>.Shared.Rent(s.Length);
        try
        {
            var n = Encoding.ASCII.GetBytes(s, rented);
            return TryParse(rented.AsSpan(0, n), maxFields, into);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Encodes pairs as a form body or query string (without <c>?</c>), in their order.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }
            AppendEscaped(sb, key);
            sb.Append('=');
            AppendEscaped(sb, value);
        }
        return sb.ToString();
    }

    private static void AppendEscaped(StringBuilder sb, string s)
    {
        // Go's url.QueryEscape: unreserved characters kept, space as '+', everything else %XX of its UTF-8 bytes.
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                int n;
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    n = new Rune(c, s[i + 1]).EncodeToUtf8(utf8);
                    i++;
                }
                else
                {
                    n = Rune.TryCreate(c, out var r) ? r.EncodeToUtf8(utf8) : Rune.ReplacementChar.EncodeToUtf8(utf8);
                }
                for (var k = 0; k < n; k++)
                {
                    sb.Append('%').Append(HexUpper(utf8[k] >> 4)).Append(HexUpper(utf8[k] & 0xF));
                }
            }
        }
    }

    private static char HexUpper(int v) => (char)(v < 10 ? '0' + v : 'A' + v - 10);

    private static string? Unescape(ReadOnlySpan<byte> raw, out string result)
    {
        result = "";
        if (raw.IsEmpty)
        {
            return null;
        }
        var buffer = raw.Length <= 512 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == '+')
            {
                buffer[n++] = (byte)' ';
            }
            else if (b == '%')
            {
                if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
                {
                    var end = Math.Min(raw.Length, i + 3);
                    return $"invalid URL escape \"{Encoding.ASCII.GetString(raw[i..end])}\"";
                }
                buffer[n++] = (byte)((FromHex(raw[i + 1]) << 4) | FromHex(raw[i + 2]));
                i += 2;
            }
            else
            {
                buffer[n++] = b;
            }
        }
        try
        {
            result = s_strictUtf8.GetString(buffer[..n]);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return "invalid UTF-8 in form field";
        }
    }

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static int FromHex(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
