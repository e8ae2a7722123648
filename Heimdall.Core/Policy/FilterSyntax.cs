using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Heimdall.Core.Policy;

/// <summary>
/// Checks that a policy filter is exactly one PromQL label matcher: a label name (or a quoted UTF-8 name),
/// one of <c>= != =~ !~</c>, and a PromQL string literal (<c>"…"</c>, <c>'…'</c> or <c>`…`</c>) whose regex,
/// for <c>=~</c>/<c>!~</c>, compiles. The one seam between policy validation and PromQL syntax.
/// </summary>
internal static class FilterSyntax
{
    private static readonly TimeSpan s_regexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Null when <paramref name="filter"/> is a valid matcher, else the reason (with the column).</summary>
    public static string? Validate(string filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return "empty filter; expected a label matcher such as env=\"prod\"";
        }
        var pos = SkipSpace(filter, 0);
        string? error;
        if (filter[pos] is '"' or '\'' or '`')
        {
            (_, pos, error) = ReadString(filter, pos);
            if (error is not null)
            {
                return "label name: " + error;
            }
        }
        else
        {
            var start = pos;
            while (pos < filter.Length && IsNameChar(filter[pos], pos == start))
            {
                pos++;
            }
            if (pos == start)
            {
                return $"1:{pos + 1}: expected a label name, found {Found(filter, pos)}";
            }
        }
        pos = SkipSpace(filter, pos);
        var opStart = pos;
        var op = pos + 1 < filter.Length ? filter.Substring(pos, 2) : "";
        if (op is "=~" or "!~" or "!=")
        {
            pos += 2;
        }
        else if (pos < filter.Length && filter[pos] == '=')
        {
            op = "=";
            pos++;
        }
        else
        {
            return $"1:{opStart + 1}: expected one of = != =~ !~, found {Found(filter, pos)}";
        }
        pos = SkipSpace(filter, pos);
        if (pos >= filter.Length || filter[pos] is not ('"' or '\'' or '`'))
        {
            return $"1:{pos + 1}: expected a quoted string value, found {Found(filter, pos)}";
        }
        (var value, pos, error) = ReadString(filter, pos);
        if (error is not null)
        {
            return error;
        }
        pos = SkipSpace(filter, pos);
        if (pos < filter.Length)
        {
            return $"1:{pos + 1}: unexpected {Found(filter, pos)} after the matcher; a filter is exactly one matcher (use one filter per matcher)";
        }
        return op is "=~" or "!~" ? ValidateRegex(value!) : null;
    }

    private static string? ValidateRegex(string pattern)
    {
        // Prometheus uses RE2: no lookaround, atomic groups, backreferences or possessive quantifiers.
        if (Regex.IsMatch(pattern, @"\(\?(<?[=!]|>)|\\[1-9]|\\k<|[*+?}][+]", RegexOptions.None, s_regexTimeout))
        {
            return $"regex \"{pattern}\" uses a construct RE2 does not support (lookaround, backreference, atomic group or possessive quantifier)";
        }
        try
        {
            _ = new Regex("^(?:" + pattern + ")$", RegexOptions.None, s_regexTimeout);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"invalid regex \"{pattern}\": {e.Message}";
        }
    }

    private static (string? Value, int End, string? Error) ReadString(string s, int pos)
    {
        var quote = s[pos];
        var start = pos;
        pos++;
        var sb = new StringBuilder();
        while (pos < s.Length)
        {
            var c = s[pos];
            if (c == quote)
            {
                return (sb.ToString(), pos + 1, null);
            }
            if (quote != '`' && c == '\n')
            {
                break;
            }
            if (quote != '`' && c == '\\')
            {
                var (ok, next) = ReadEscape(s, pos + 1, quote, sb);
                if (!ok)
                {
                    return (null, pos, $"1:{pos + 1}: invalid escape sequence in string");
                }
                pos = next;
                continue;
            }
            sb.Append(c);
            pos++;
        }
        return (null, pos, $"1:{start + 1}: unterminated quoted string");
    }

    private static (bool Ok, int Next) ReadEscape(string s, int pos, char quote, StringBuilder sb)
    {
        if (pos >= s.Length)
        {
            return (false, pos);
        }
        var c = s[pos];
        switch (c)
        {
            case 'a': sb.Append('\a'); return (true, pos + 1);
            case 'b': sb.Append('\b'); return (true, pos + 1);
            case 'f': sb.Append('\f'); return (true, pos + 1);
            case 'n': sb.Append('\n'); return (true, pos + 1);
            case 'r': sb.Append('\r'); return (true, pos + 1);
            case 't': sb.Append('\t'); return (true, pos + 1);
            case 'v': sb.Append('\v'); return (true, pos + 1);
            case '\\': sb.Append('\\'); return (true, pos + 1);
            case '"' or '\'' when c == quote: sb.Append(c); return (true, pos + 1);
            case 'x': return Hex(s, pos + 1, 2, sb);
            case 'u': return Hex(s, pos + 1, 4, sb);
            case 'U': return Hex(s, pos + 1, 8, sb);
            case >= '0' and <= '7':
                if (pos + 3 > s.Length || !AllOctal(s, pos))
                {
                    return (false, pos);
                }
                var v = Convert.ToInt32(s.Substring(pos, 3), 8);
                if (v > 255)
                {
                    return (false, pos);
                }
                sb.Append((char)v);
                return (true, pos + 3);
            default:
                return (false, pos);
        }
    }

    private static bool AllOctal(string s, int pos) => s[pos] is >= '0' and <= '7' && s[pos + 1] is >= '0' and <= '7' && s[pos + 2] is >= '0' and <= '7';

    private static (bool Ok, int Next) Hex(string s, int pos, int digits, StringBuilder sb)
    {
        if (pos + digits > s.Length || !int.TryParse(s.AsSpan(pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            || v > 0x10FFFF || v is >= 0xD800 and <= 0xDFFF)
        {
            return (false, pos);
        }
        sb.Append(char.ConvertFromUtf32(v));
        return (true, pos + digits);
    }

    private static bool IsNameChar(char c, bool first) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (!first && c is >= '0' and <= '9');

    private static int SkipSpace(string s, int pos)
    {
        while (pos < s.Length && s[pos] is ' ' or '\t' or '\r' or '\n')
        {
            pos++;
        }
        return pos;
    }

    private static string Found(string s, int pos) => pos >= s.Length ? "end of input" : $"'{s[pos]}'";
}
