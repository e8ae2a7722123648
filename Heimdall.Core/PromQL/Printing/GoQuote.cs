using System.Globalization;

namespace Heimdall.Core.PromQL.Printing;

/// <summary>Go's <c>strconv.Quote</c> and <c>%q</c> / <c>%#U</c> for runes, which Prometheus uses to print strings and errors.</summary>
internal static class GoQuote
{
    private const string Hex = "0123456789abcdef";

    public static string Quote(ReadOnlySpan<char> value)
    {
        var sb = new CharBuffer();
        Append(sb, value);
        return sb.ToString();
    }

    public static void Append(CharBuffer sb, ReadOnlySpan<char> value)
    {
        sb.Append('"');
        var clean = true;
        foreach (var c in value)
        {
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f)
            {
                clean = false;
                break;
            }
        }
        if (clean)
        {
            sb.Append(value);
            sb.Append('"');
            return;
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            int rune = c;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                rune = char.ConvertToUtf32(c, value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                sb.Append("\\ufffd");
                continue;
            }
            AppendRune(sb, rune, '"');
        }
        sb.Append('"');
    }

    /// <summary>Go's <c>%q</c> of a rune: <c>'x'</c>.</summary>
    public static string QuoteRune(int rune)
    {
        var sb = new CharBuffer();
        sb.Append('\'');
        AppendRune(sb, rune, '\'');
        sb.Append('\'');
        return sb.ToString();
    }

    /// <summary>Go's <c>%#U</c>: <c>U+0071 'q'</c>.</summary>
    public static string UnicodeForm(int rune)
    {
        var s = "U+" + rune.ToString("X4", CultureInfo.InvariantCulture);
        return IsPrint(rune) ? s + " '" + char.ConvertFromUtf32(rune) + "'" : s;
    }

    private static void AppendRune(CharBuffer sb, int rune, char quote)
    {
        if (rune == quote || rune == '\\')
        {
            sb.Append('\\');
            sb.Append((char)rune);
            return;
        }
        if (IsPrint(rune))
        {
            if (rune < 0x10000)
            {
                sb.Append((char)rune);
            }
            else
            {
                sb.Append(char.ConvertFromUtf32(rune));
            }
            return;
        }
        switch (rune)
        {
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }
        if (rune < ' ' || rune == 0x7f)
        {
            sb.Append("\\x");
            sb.Append(Hex[rune >> 4]);
            sb.Append(Hex[rune & 0xf]);
        }
        else if (rune < 0x10000)
        {
            sb.Append("\\u");
            for (var s = 12; s >= 0; s -= 4)
            {
                sb.Append(Hex[(rune >> s) & 0xf]);
            }
        }
        else
        {
            sb.Append("\\U");
            for (var s = 28; s >= 0; s -= 4)
            {
                sb.Append(Hex[(rune >> s) & 0xf]);
            }
        }
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and ASCII space.</summary>
    public static bool IsPrint(int rune)
    {
        if (rune < 0x7f)
        {
            return rune >= 0x20;
        }
        if (rune is >= 0xD800 and <= 0xDFFF || rune > 0x10FFFF)
        {
            return false;
        }
        var category = CharUnicodeInfo.GetUnicodeCategory(rune);
        return category switch
        {
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or
            UnicodeCategory.OtherNotAssigned => false,
            _ => true,
        };
    }
}
