using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>Adds matchers to a selector.</summary>
internal static class SelectorMatchers
{
    /// <summary>
    /// The selector with <paramref name="alternative"/>'s matchers appended (those it already has are skipped). When a
    /// <c>__name__</c> matcher is added to <c>up{...}</c>, the name moves into the braces (<c>{__name__="up",__name__=~"..."}</c>),
    /// because Prometheus refuses a metric name set both before and inside the braces.
    /// </summary>
    public static VectorSelector Add(VectorSelector selector, IReadOnlyList<LabelMatcher> alternative)
    {
        if (alternative.Count == 0)
        {
            return selector;
        }
        var existing = selector.LabelMatchers;
        var matchers = new LabelMatcher[existing.Count + alternative.Count];
        existing.AsSpan().CopyTo(matchers);
        var n = existing.Count;
        var addsName = false;
        foreach (var m in alternative)
        {
            if (existing.AsSpan().IndexOf(m) < 0)
            {
                matchers[n++] = m;
                addsName |= m.Name == "__name__";
            }
        }
        if (n == existing.Count)
        {
            return selector;
        }
        if (n < matchers.Length)
        {
            Array.Resize(ref matchers, n);
        }
        return addsName && selector.Name.Length > 0
            ? selector with { Name = "", LabelMatchers = matchers }
            : selector with { LabelMatchers = matchers };
    }
}
