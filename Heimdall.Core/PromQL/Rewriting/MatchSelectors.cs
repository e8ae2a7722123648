using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>
/// <c>match[]</c> handling for <c>/series</c>, <c>/labels</c> and <c>/label/{name}/values</c> (DESIGN §5). These
/// endpoints return the union over their selectors, so a selector is restricted to a grant with several alternatives
/// by sending one selector per alternative.
/// </summary>
public static class MatchSelectors
{
    /// <summary>
    /// Restricts each selector of <paramref name="matches"/> to <paramref name="grant"/>. With no selectors the grant's
    /// own selectors are returned (<see cref="ForGrant"/>): an unrestricted grant then needs none.
    /// </summary>
    /// <param name="matches">The request's <c>match[]</c> values.</param>
    /// <param name="grant">The caller's grant.</param>
    /// <param name="options">Options; <see cref="InjectionOptions.Default"/> when null.</param>
    public static MatchSelectorsResult Rewrite(IReadOnlyList<string> matches, Grant grant, InjectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(grant);
        if (matches.Count == 0)
        {
            return new MatchSelectorsResult { Selectors = ForGrant(grant) };
        }
        var strict = (options ?? InjectionOptions.Default).Strict;
        var output = new List<string>();
        foreach (var match in matches)
        {
            if (!PromQLParser.TryParse(match, out var expr, out var error) || expr is not VectorSelector selector)
            {
                return Failure(InjectionErrorKind.BadData,
                    $"invalid parameter \"match[]\": {(error is not null ? error.ToString() : $"{match} is not a series selector")}");
            }
            if (grant.IsUnrestricted)
            {
                output.Add(selector.ToString());
                continue;
            }
            var alternatives = SelectorRestriction.Resolve(selector.LabelMatchers, grant);
            if (alternatives is null)
            {
                if (strict)
                {
                    return Failure(InjectionErrorKind.Forbidden, $"the selector {selector} asks only for label values outside the caller's grant {grant}");
                }
                // Contradicts every alternative: contributes nothing to the union.
                continue;
            }
            if (alternatives.Count == 0)
            {
                output.Add(selector.ToString());
                continue;
            }
            foreach (var a in alternatives)
            {
                output.Add(SelectorMatchers.Add(selector, a).ToString());
            }
        }
        if (output.Count == 0)
        {
            // Every selector was outside the grant: ask for something that exists nowhere rather than for everything.
            output.Add(new VectorSelector("", [TenantQueryRewriter.Nothing]).ToString());
        }
        return new MatchSelectorsResult { Selectors = [.. output.Distinct(StringComparer.Ordinal)] };
    }

    /// <summary>
    /// The grant as <c>match[]</c> selectors, one per alternative (<c>{env="prod"}</c>); empty for an unrestricted grant.
    /// An alternative whose matchers all match the empty string gets <c>__name__=~".+"</c> so that it is a valid selector.
    /// </summary>
    /// <param name="grant">The grant.</param>
    public static IReadOnlyList<string> ForGrant(Grant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.IsUnrestricted)
        {
            return [];
        }
        var list = new List<string>(grant.Alternatives.Count);
        foreach (var a in grant.Alternatives)
        {
            var matchers = a.Any(m => !m.Matches("")) ? a : [.. a, new LabelMatcher(LabelMatchType.Regex, "__name__", ".+")];
            list.Add(new VectorSelector("", [.. matchers]).ToString());
        }
        return list;
    }

    private static MatchSelectorsResult Failure(InjectionErrorKind kind, string error) => new() { ErrorKind = kind, Error = error };
}
