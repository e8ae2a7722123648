using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>Orders matchers by name, operator, value (ordinal): a stable canonical order for grants.</summary>
internal sealed class MatcherComparer : IComparer<LabelMatcher>
{
    public static MatcherComparer Instance { get; } = new();

    public int Compare(LabelMatcher? x, LabelMatcher? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null)
        {
            return -1;
        }
        if (y is null)
        {
            return 1;
        }
        var c = string.CompareOrdinal(x.Name, y.Name);
        if (c != 0)
        {
            return c;
        }
        c = x.Type.CompareTo(y.Type);
        return c != 0 ? c : string.CompareOrdinal(x.Value, y.Value);
    }
}
