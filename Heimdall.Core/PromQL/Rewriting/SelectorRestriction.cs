using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>
/// The grant as it applies to one selector. A series the selector returns has exactly the values of the selector's
/// equality matchers, so a grant matcher on such a label is either certainly true (dropped: implied) or certainly
/// false (its alternative cannot contribute: dropped). Decided only where the answer does not depend on regex
/// engine details (equality, inequality, and literal alternations such as merged grants produce).
/// </summary>
internal static class SelectorRestriction
{
    /// <summary>
    /// Returns the alternatives to add to the selector: empty when the selector is already within the grant,
    /// <see langword="null"/> when every alternative is contradicted.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<LabelMatcher>>? Resolve(EquatableArray<LabelMatcher> user, Grant grant)
    {
        var alternatives = grant.Alternatives;
        if (!Overlaps(user, alternatives))
        {
            // The common case: the selector names none of the grant's labels, so nothing simplifies.
            return alternatives;
        }

        List<IReadOnlyList<LabelMatcher>>? kept = null;
        var changed = false;
        foreach (var alternative in alternatives)
        {
            var contradicted = false;
            List<LabelMatcher>? reduced = null;
            foreach (var m in alternative)
            {
                var decision = Decide(user, m);
                if (decision == false)
                {
                    contradicted = true;
                    break;
                }
                if (decision == true)
                {
                    changed = true;
                }
                else
                {
                    (reduced ??= []).Add(m);
                }
            }
            if (contradicted)
            {
                changed = true;
                continue;
            }
            if (reduced is null)
            {
                return [];
            }
            (kept ??= []).Add(reduced);
        }
        if (kept is null)
        {
            return null;
        }
        if (!changed)
        {
            return alternatives;
        }
        return kept.Count == 1 ? kept : GrantNormalizer.Normalize(kept);
    }

    private static bool Overlaps(EquatableArray<LabelMatcher> user, IReadOnlyList<IReadOnlyList<LabelMatcher>> alternatives)
    {
        foreach (var alternative in alternatives)
        {
            foreach (var m in alternative)
            {
                foreach (var u in user)
                {
                    if (string.Equals(u.Name, m.Name, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static bool? Decide(EquatableArray<LabelMatcher> user, LabelMatcher grantMatcher)
    {
        foreach (var u in user)
        {
            if (u.Name != grantMatcher.Name)
            {
                continue;
            }
            if (u.Equals(grantMatcher))
            {
                return true;
            }
            if (u.Type == LabelMatchType.Equal)
            {
                return Evaluate(grantMatcher, u.Value);
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="m"/> matches <paramref name="value"/>, or null when that depends on regex details.</summary>
    internal static bool? Evaluate(LabelMatcher m, string value)
    {
        switch (m.Type)
        {
            case LabelMatchType.Equal:
                return m.Value == value;
            case LabelMatchType.NotEqual:
                return m.Value != value;
            case LabelMatchType.Regex:
                return LiteralRegex.TryGetLiterals(m.Value, out var set) ? set.Contains(value) : null;
            case LabelMatchType.NotRegex:
                return LiteralRegex.TryGetLiterals(m.Value, out var notSet) ? !notSet.Contains(value) : null;
            default:
                return null;
        }
    }
}
