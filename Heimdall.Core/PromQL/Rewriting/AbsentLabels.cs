using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>
/// The labels <c>absent(s)</c> / <c>absent_over_time(s[r])</c> return, computed as Prometheus does from the selector's
/// matchers in order: each equality matcher sets its label unless that label was seen before; any other matcher, or a
/// second one on the same label, deletes it; <c>__name__</c> is skipped; an empty value means no label.
/// </summary>
internal static class AbsentLabels
{
    public static SortedDictionary<string, string> Compute(IEnumerable<LabelMatcher> matchers)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var has = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in matchers)
        {
            if (m.Name == "__name__")
            {
                continue;
            }
            if (m.Type == LabelMatchType.Equal && has.Add(m.Name))
            {
                if (m.Value.Length == 0)
                {
                    labels.Remove(m.Name);
                }
                else
                {
                    labels[m.Name] = m.Value;
                }
            }
            else
            {
                labels.Remove(m.Name);
            }
        }
        return labels;
    }

    public static bool SameAs(SortedDictionary<string, string> a, SortedDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
