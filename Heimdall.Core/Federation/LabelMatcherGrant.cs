using Heimdall.Core.Policy;

namespace Heimdall.Core.Federation;

/// <summary>An <see cref="IGrantMatcher"/> over a decision's matcher strings (alternatives ORed, matchers ANDed).</summary>
internal sealed class LabelMatcherGrant : IGrantMatcher
{
    private readonly IReadOnlyList<IReadOnlyList<SimpleLabelMatcher>> _alternatives;

    private LabelMatcherGrant(IReadOnlyList<IReadOnlyList<SimpleLabelMatcher>> alternatives) => _alternatives = alternatives;

    /// <summary>Matches every label set.</summary>
    public static LabelMatcherGrant Unrestricted { get; } = new([[]]);

    /// <inheritdoc />
    public bool IsUnrestricted => _alternatives.Any(a => a.Count == 0);

    /// <summary>Builds the grant of an allowed decision; a denial, or a matcher that does not parse, is an error (fail closed).</summary>
    public static LabelMatcherGrant? TryCreate(TenantDecision decision, out string? error)
    {
        error = null;
        if (!decision.Allow)
        {
            error = "access denied";
            return null;
        }
        var alternatives = new List<IReadOnlyList<SimpleLabelMatcher>>(decision.Filters.Count);
        foreach (var alternative in decision.Filters)
        {
            var matchers = new List<SimpleLabelMatcher>(alternative.Count);
            foreach (var text in alternative)
            {
                if (SimpleLabelMatcher.TryParse(text, out error) is not { } m)
                {
                    return null;
                }
                matchers.Add(m);
            }
            alternatives.Add(matchers);
        }
        return new LabelMatcherGrant(alternatives);
    }

    /// <inheritdoc />
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var alternative in _alternatives)
        {
            var all = true;
            foreach (var m in alternative)
            {
                if (!m.Matches(labels.TryGetValue(m.Name, out var v) ? v : ""))
                {
                    all = false;
                    break;
                }
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }
}
