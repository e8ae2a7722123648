namespace Heimdall.Core.PromQL.Ast;

/// <summary>Rejects .NET-only regex constructs that RE2 (Prometheus' engine) does not accept.</summary>
internal static class RegexSyntax
{
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
}
