namespace Heimdall.Core.Policy;

/// <summary>
/// The canonical order of filters that both evaluators share with <c>opa/heimdall/authz.rego</c>: matchers by
/// Unicode code point (the byte order of their UTF-8 form, as OPA compares strings) and alternatives element by
/// element, a prefix first (as OPA compares arrays).
/// </summary>
internal static class MatcherOrder
{
    /// <summary>Compares two strings by code point.</summary>
    public static int CompareStrings(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            int x = a[i], y = b[i];
            if (x == y)
            {
                continue;
            }
            if (x >= 0xD800 && y >= 0xD800)
            {
                // UTF-16 puts surrogates (code points above U+FFFF) below U+E000..U+FFFF; code point order does not.
                x = x >= 0xE000 ? x - 0x800 : x + 0x2000;
                y = y >= 0xE000 ? y - 0x800 : y + 0x2000;
            }
            return x - y;
        }
        return a.Length - b.Length;
    }

    /// <summary>Compares two alternatives element by element; a prefix sorts first.</summary>
    public static int CompareAlternatives(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var n = Math.Min(a.Count, b.Count);
        for (var i = 0; i < n; i++)
        {
            var c = CompareStrings(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return a.Count.CompareTo(b.Count);
    }

    /// <summary>One policy's filters as an alternative: sorted by code point, duplicates removed.</summary>
    public static string[] Canonicalize(IEnumerable<string> filters)
    {
        var list = new List<string>(filters);
        list.Sort(CompareStrings);
        var write = 0;
        for (var read = 0; read < list.Count; read++)
        {
            if (write == 0 || !string.Equals(list[write - 1], list[read], StringComparison.Ordinal))
            {
                list[write++] = list[read];
            }
        }
        return list.GetRange(0, write).ToArray();
    }

    /// <summary>Sorts <paramref name="alternatives"/> in place and removes duplicates.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> SortAndDeduplicate(List<string[]> alternatives)
    {
        alternatives.Sort(CompareAlternatives);
        var result = new List<IReadOnlyList<string>>(alternatives.Count);
        foreach (var alternative in alternatives)
        {
            if (result.Count == 0 || CompareAlternatives(result[^1], alternative) != 0)
            {
                result.Add(alternative);
            }
        }
        return result;
    }
}
