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
            return (null, "error parsing regexp: " + problem + ": `" + pattern + "`");
        }
        try
        {
            var regex = new Regex("^(?s:" + pattern.Replace("(?P<", "(?<", StringComparison.Ordinal) + ")$",
                RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));
            return (regex, null);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return (null, "error parsing regexp: " + ex.Message);
        }
    }
}
