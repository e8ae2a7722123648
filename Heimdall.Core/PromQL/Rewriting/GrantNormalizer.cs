using System.Text;
using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>
/// Brings alternatives into a small canonical DNF: matchers deduplicated and sorted, duplicate alternatives removed,
/// an alternative absorbed by a subset of it (A ∨ (A ∧ B) = A), an empty alternative absorbing everything, and
/// alternatives that differ only in one label's positive matcher merged into one anchored regex (exact, because
/// Prometheus anchors regexes: <c>^(?:a|b)$</c> matches exactly what <c>="a"</c> or <c>="b"</c> match).
/// </summary>
internal static class GrantNormalizer
{
    public static IReadOnlyList<IReadOnlyList<LabelMatcher>> Normalize(IReadOnlyList<IReadOnlyList<LabelMatcher>> alternatives)
    {
        var work = alternatives.Select(Canonical).ToList();
        while (true)
        {
            work = Absorb(work);
            if (work.Count == 1 && work[0].Length == 0)
            {
                return [Array.Empty<LabelMatcher>()];
            }
            if (!TryMergeOnce(work, out var merged))
            {
                break;
            }
            work = merged;
        }
        work.Sort(CompareAlternatives);
        return [.. work.Select(a => (IReadOnlyList<LabelMatcher>)a)];
    }

    internal static LabelMatcher[] Canonical(IEnumerable<LabelMatcher> alternative) =>
        [.. alternative.Distinct().OrderBy(m => m, MatcherComparer.Instance)];

    private static List<LabelMatcher[]> Absorb(List<LabelMatcher[]> alternatives)
    {
        if (alternatives.Any(a => a.Length == 0))
        {
            return [[]];
        }
        var ordered = alternatives.OrderBy(a => a.Length).ToList();
        var kept = new List<LabelMatcher[]>();
        foreach (var candidate in ordered)
        {
            if (!kept.Any(k => k.All(candidate.Contains)))
            {
                kept.Add(candidate);
            }
        }
        return kept;
    }

    private static bool TryMergeOnce(List<LabelMatcher[]> alternatives, out List<LabelMatcher[]> merged)
    {
        merged = alternatives;
        if (alternatives.Count < 2)
        {
            return false;
        }
        var labels = alternatives.SelectMany(a => a).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            // Alternatives with exactly one matcher on the label, and that one positive, grouped by everything else.
            var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < alternatives.Count; i++)
            {
                var onLabel = alternatives[i].Where(m => m.Name == label).ToList();
                if (onLabel.Count != 1 || onLabel[0].Type is not (LabelMatchType.Equal or LabelMatchType.Regex))
                {
                    continue;
                }
                var key = Key(alternatives[i].Where(m => m.Name != label));
                if (!groups.TryGetValue(key, out var members))
                {
                    groups[key] = members = [];
                }
                members.Add(i);
            }
            var group = groups.Values.FirstOrDefault(g => g.Count > 1);
            if (group is null)
            {
                continue;
            }
            var pieces = group.Select(i => alternatives[i].Single(m => m.Name == label))
                .Select(m => m.Type == LabelMatchType.Equal ? Re2Escaping.QuoteMeta(m.Value) : "(?:" + m.Value + ")")
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal);
            var regex = new LabelMatcher(LabelMatchType.Regex, label, string.Join("|", pieces));
            var rest = alternatives[group[0]].Where(m => m.Name != label);
            merged = [.. alternatives.Where((_, i) => !group.Contains(i)), Canonical(rest.Append(regex))];
            return true;
        }
        return false;
    }

    private static string Key(IEnumerable<LabelMatcher> matchers)
    {
        var sb = new StringBuilder();
        foreach (var m in matchers.OrderBy(m => m, MatcherComparer.Instance))
        {
            sb.Append(m.Name).Append('\0').Append((int)m.Type).Append('\0').Append(m.Value).Append('\u0001');
        }
        return sb.ToString();
    }

    private static int CompareAlternatives(LabelMatcher[] x, LabelMatcher[] y)
    {
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var c = MatcherComparer.Instance.Compare(x[i], y[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return x.Length.CompareTo(y.Length);
    }
}
