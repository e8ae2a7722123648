using System.Buffers;
using System.Text;

namespace Heimdall.Core.PromQL.Parser;

/// <summary>Decodes a lexed string literal (quotes included) the way Prometheus' <c>strutil.Unquote</c> does.</summary>
internal static class StringUnquoter
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string ReplaceLoneSurrogates(ReadOnlySpan<char> text)
    {
        var chars = text.ToArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }
        return new string(chars);
    }

    /// <summary>Returns the value, or <see langword="null"/> when the escapes produce invalid UTF-8.</summary>
    public static string? Unquote(ReadOnlySpan<char> literal)
    {
        var body = literal[1..^1];
        var hasSurrogates = body.IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
        if (literal[0] == '`' || body.IndexOf('\\') < 0)
        {
            return hasSurrogates ? ReplaceLoneSurrogates(body) : body.ToString();
        }
        var buffer = ArrayPool<byte>.Shared.Rent((body.Length * 3) + 4);
        try
        {
            var n = 0;
            for (var i = 0; i < body.Length; i++)
            {
                var c = body[i];
                if (c != '\\')
                {
                    if (char.IsHighSurrogate(c) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]))
                    {
                        n += new Rune(c, body[i + 1]).EncodeToUtf8(buffer.AsSpan(n));
                        i++;
                    }
                    else
                    {
                        n += (Rune.IsValid(c) ? new Rune(c) : Rune.ReplacementChar).EncodeToUtf8(buffer.AsSpan(n));
                    }
                    continue;
                }
                var e = body[++i];
                switch (e)
                {
                    case 'a': buffer[n++] = 7; break;
                    case 'b': buffer[n++] = 8; break;
                    case 'f': buffer[n++] = 12; break;
                    case 'n': buffer[n++] = 10; break;
                    case 'r': buffer[n++] = 13; break;
                    case 't': buffer[n++] = 9; break;
                    case 'v': buffer[n++] = 11; break;
                    case '\\' or '"' or '\'': buffer[n++] = (byte)e; break;
                    case >= '0' and <= '7':
                        buffer[n++] = (byte)(((e - '0') * 64) + ((body[i + 1] - '0') * 8) + (body[i + 2] - '0'));
                        i += 2;
                        break;
                    case 'x':
                        buffer[n++] = (byte)Convert.ToInt32(body.Slice(i + 1, 2).ToString(), 16);
                        i += 2;
                        break;
                    case 'u' or 'U':
                        var len = e == 'u' ? 4 : 8;
                        var cp = Convert.ToInt32(body.Slice(i + 1, len).ToString(), 16);
                        n += new Rune(cp).EncodeToUtf8(buffer.AsSpan(n));
                        i += len;
                        break;
                    default:
                        return null;
                }
            }
            try
            {
                return s_strictUtf8.GetString(buffer, 0, n);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
