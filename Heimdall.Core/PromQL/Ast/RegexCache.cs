using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Heimdall.Core.PromQL.Ast;

/// <summary>Compiles and caches anchored label-matcher regular expressions (bounded; cleared when full).</summary>
internal static class RegexCache
{
    private const int MaxEntries = 4096;
    private static readonly ConcurrentDictionary<string, (Regex? Regex, string? Error)> s_cache = new(StringComparer.Ordinal);

    public static bool TryGet(string pattern, out Regex? regex, out string? error)
    {
        if (!s_cache.TryGetValue(pattern, out var entry))
        {
            entry = Compile(pattern);
            if (s_cache.Count >= MaxEntries)
            {
                s_cache.Clear();
            }
            s_cache.TryAdd(pattern, entry);
        }
        regex = entry.Regex;
        error = entry.Error;
        return regex is not null;
    }

    private static (Regex?, string?) Compile(string pattern)
    {
        var problem = RegexSyntax.FindUnsupported(pattern);
        if (problem is not null)
        {
            // Go names the whole expression after most problems, but only the offending repetition after a bad count.
            return (null, "error parsing regexp: " + problem
                + (problem.StartsWith(RegexSyntax.InvalidRepeatCount, StringComparison.Ordinal) ? "" : ": `" + pattern + "`"));
        }
        var dotnetPattern = "^(?s:" + pattern.Replace("(?P<", "(?<", StringComparison.Ordinal) + ")$";
        try
        {
            var regex = new Regex(dotnetPattern,
                RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));
            return (regex, null);
        }
        catch (NotSupportedException)
        {
            // Too large for the non-backtracking engine's automaton (e.g. a Grafana multi-value variable expanded to
            // thousands of alternatives), though valid RE2: use the backtracking engine, bounded by the match timeout.
            // The pattern passed the RE2 check above, so it has no construct whose meaning differs between the engines.
            return (new Regex(dotnetPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), null);
        }
        catch (RegexParseException ex)
        {
            var anchored = "`^(?:" + pattern + ")$`";
            return ex.Error switch
            {
                RegexParseError.InsufficientClosingParentheses => (null, "error parsing regexp: missing closing ): " + anchored),
                RegexParseError.InsufficientOpeningParentheses => (null, "error parsing regexp: unexpected ): " + anchored),
                RegexParseError.UnterminatedBracket => (null, "error parsing regexp: missing closing ]: `" + pattern[pattern.LastIndexOf('[')..] + ")$`"),
                RegexParseError.QuantifierAfterNothing when ex.Offset >= 1 && ex.Offset <= dotnetPattern.Length =>
                    (null, "error parsing regexp: missing argument to repetition operator: `" + dotnetPattern[ex.Offset - 1] + "`"),
                RegexParseError.NestedQuantifiersNotParenthesized when ex.Offset >= 2 && ex.Offset <= dotnetPattern.Length =>
                    (null, "error parsing regexp: invalid nested repetition operator: `" + dotnetPattern[(ex.Offset - 2)..ex.Offset] + "`"),
                _ => (null, "error parsing regexp: " + ex.Message),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return (null, "error parsing regexp: " + ex.Message);
        }
    }
}
