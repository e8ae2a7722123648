using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;

namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>Checks on what Heimdall sent upstream: every selector of a forwarded query carries the grant's matcher.</summary>
internal static class GrantChecks
{
    /// <summary>Heimdall's selector for "nothing here" (every series has a name, <c>.*</c> matches every name).</summary>
    private static readonly LabelMatcher s_nothing = PromQLParser.ParseMatcher("__name__!~\".*\"");

    /// <summary>
    /// Parses <paramref name="forwarded"/> and asserts every vector selector has <paramref name="matcher"/> (e.g.
    /// <c>env="prod"</c>) or is Heimdall's empty selector (<c>__name__!~".*"</c>, for a selector the grant leaves empty).
    /// </summary>
    public static void AssertEverySelectorHas(string forwarded, string matcher)
    {
        var expected = PromQLParser.ParseMatcher(matcher);
        var selectors = new SelectorCollector();
        selectors.Walk(PromQLParser.Parse(forwarded));
        foreach (var selector in selectors.Found)
        {
            Assert.True(selector.LabelMatchers.Contains(expected) || selector.LabelMatchers.Contains(s_nothing), $"selector {selector} in the forwarded query lacks {matcher}:\n{forwarded}");
        }
    }

    /// <summary>Asserts every vector selector of <paramref name="forwarded"/> holds all matchers of one of <paramref name="alternatives"/> (or is empty by construction).</summary>
    public static void AssertEverySelectorHasOneOf(string forwarded, params string[][] alternatives)
    {
        var parsed = alternatives.Select(a => a.Select(PromQLParser.ParseMatcher).ToList()).ToList();
        var selectors = new SelectorCollector();
        selectors.Walk(PromQLParser.Parse(forwarded));
        foreach (var selector in selectors.Found)
        {
            Assert.True(selector.LabelMatchers.Contains(s_nothing) || parsed.Any(a => a.All(selector.LabelMatchers.Contains)),
                $"selector {selector} in the forwarded query holds none of the grant's alternatives:\n{forwarded}");
        }
    }

    private sealed class SelectorCollector : PromQLWalker
    {
        public List<VectorSelector> Found { get; } = [];

        public override bool VisitVectorSelector(VectorSelector node)
        {
            Found.Add(node);
            return true;
        }
    }
}
