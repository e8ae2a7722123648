namespace Heimdall.Core.PromQL.Ast;

/// <summary>Rejects .NET-only regex constructs that RE2 (Prometheus' engine) does not accept.</summary>
internal static class RegexSyntax
{
    /// <summary>The largest repetition count RE2 accepts in <c>{n}</c>, <c>{n,}</c> and <c>{n,m}</c>.</summary>
    public const int MaxRepeat = 1000;

    /// <summary>The start of the message for a repetition count above <see cref="MaxRepeat"/> (Go's wording).</summary>
    public const string InvalidRepeatCount = "invalid repeat count";

    public static string? FindUnsupported(string pattern)
    {
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length)
                {
                    return "trailing backslash at end of expression";
                }
                var n = pattern[i + 1];
                if (n is >= '1' and <= '9' || n is 'k' or 'G' or 'Z' or 'e' or 'c' or 'u')
                {
                    return "invalid escape sequence: `\\" + n + "`";
                }
                i++;
                continue;
            }
            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                }
                continue;
            }
            if (c == '[')
            {
                inClass = true;
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    i++;
                }
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    i++;
                }
                continue;
            }
            if (c == '{' && RepeatCount(pattern.AsSpan(i)) is { Invalid: true } repeat)
            {
                // RE2 (and Go's regexp) refuse counts above 1000, which .NET accepts; and {n,m} with m < n, in their words.
                return InvalidRepeatCount + ": `" + pattern.Substring(i, repeat.Length) + "`";
            }
            if (c == '(' && i + 1 < pattern.Length && pattern[i + 1] == '?')
            {
                var rest = pattern.AsSpan(i + 2);
                if (rest.StartsWith("P<") || rest.StartsWith(":"))
                {
                    continue;
                }
                if (rest.StartsWith("=") || rest.StartsWith("!") || rest.StartsWith("<=") || rest.StartsWith("<!") ||
                    rest.StartsWith(">") || rest.StartsWith("#") || rest.StartsWith("'") || rest.StartsWith("("))
                {
                    return "invalid or unsupported Perl syntax: `(?" + (rest.Length > 0 ? rest[0].ToString() : "") + "`";
                }
            }
        }
        return null;
    }

    /// <summary>
    /// For text starting with <c>{</c>: the repetition <c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> there (its length, and
    /// whether RE2 refuses its counts: above <see cref="MaxRepeat"/>, or <c>m</c> below <c>n</c>), or null when the
    /// brace is a literal as RE2 reads it.
    /// </summary>
    private static (int Length, bool Invalid)? RepeatCount(ReadOnlySpan<char> text)
    {
        var i = 1;
        long min = 0;
        for (var part = 0; part < 2; part++)
        {
            long value = 0;
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                value = Math.Min(value * 10 + (text[i] - '0'), int.MaxValue);
                i++;
            }
            var digits = i - start;
            if (part == 0 && digits == 0)
            {
                return null;
            }
            if (part == 0)
            {
                min = value;
            }
            if (i < text.Length && text[i] == '}')
            {
                var invalid = value > MaxRepeat || min > MaxRepeat || (part == 1 && digits > 0 && value < min);
                return (i + 1, invalid);
            }
            if (part > 0 || i >= text.Length || text[i] != ',')
            {
                return null;
            }
            i++;
        }
        return null;
    }
}
