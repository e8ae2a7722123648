using Heimdall.Core.Policy;
using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Tests.PromQL.Rewriting;

public sealed class GrantTests
{
    [Theory]
    [InlineData("[[env=\"prod\"]]", "[[env=\"prod\"]]")]
    [InlineData("[[]]", "[[]]")]
    [InlineData("[[env=\"prod\"], []]", "[[]]")]
    [InlineData("[[env=\"prod\", env=\"prod\"]]", "[[env=\"prod\"]]")]
    [InlineData("[[team=\"b\"], [team=\"a\"]]", "[[team=~\"a|b\"]]")]
    [InlineData("[[team=\"a.b\"], [team=\"c|d\"], [team=\"x y#z\"]]", "[[team=~\"a\\\\.b|c\\\\|d|x y#z\"]]")]
    [InlineData("[[env=\"prod\", team=\"a\"], [env=\"prod\", team=\"b\"]]", "[[env=\"prod\", team=~\"a|b\"]]")]
    [InlineData("[[env=\"prod\", team=\"a\"], [env=\"dev\", team=\"b\"]]", "[[env=\"dev\", team=\"b\"], [env=\"prod\", team=\"a\"]]")]
    [InlineData("[[env=\"prod\"], [env=\"prod\", team=\"a\"]]", "[[env=\"prod\"]]")]
    [InlineData("[[team=~\"a|b\"], [team=\"c\"]]", "[[team=~\"(?:a|b)|c\"]]")]
    [InlineData("[[tier!=\"free\"], [tier!=\"paid\"]]", "[[tier!=\"free\"], [tier!=\"paid\"]]")]
    [InlineData("[[env=\"prod\", tier!=\"free\"], [team=\"beta\"]]", "[[env=\"prod\", tier!=\"free\"], [team=\"beta\"]]")]
    public void Normalises_Alternatives(string input, string expected)
    {
        var grant = Grant.Parse(ParseList(input));
        Assert.Equal(expected, grant.ToString());
    }

    [Theory]
    [InlineData("env=prod", "invalid label matcher")]
    [InlineData("env=~\"(\"", "invalid label matcher")]
    [InlineData("", "empty label matcher")]
    [InlineData("up", "invalid label matcher")]
    [InlineData("env=\"a\", team=\"b\"", "invalid label matcher")]
    public void Rejects_InvalidMatcher(string matcher, string message)
    {
        Assert.False(Grant.TryParse([[matcher]], out var grant, out var error));
        Assert.Null(grant);
        Assert.Contains(message, error);
        Assert.Throws<FormatException>(() => Grant.Parse([[matcher]]));
    }

    [Fact]
    public void Rejects_NoAlternatives()
    {
        Assert.False(Grant.TryParse([], out _, out var error));
        Assert.Contains("at least one alternative", error);
    }

    [Fact]
    public void IsUnrestricted_OnlyForEmptyAlternative()
    {
        Assert.True(Grant.Unrestricted.IsUnrestricted);
        Assert.True(Grant.Parse([[]]).IsUnrestricted);
        Assert.False(Grant.Parse([["env=\"prod\""]]).IsUnrestricted);
    }

    [Fact]
    public void FromDecision_RefusesDenial_AndParsesFilters()
    {
        Assert.False(Grant.TryFromDecision(TenantDecision.Denied, out _, out var error));
        Assert.Equal("access denied", error);
        Assert.True(Grant.TryFromDecision(TenantDecision.Unrestricted, out var unrestricted, out _));
        Assert.True(unrestricted.IsUnrestricted);
        Assert.True(Grant.TryFromDecision(new TenantDecision { Allow = true, Filters = [["env=\"prod\""], ["team=\"a\""]] }, out var grant, out _));
        Assert.Equal(2, grant.Alternatives.Count);
    }

    [Theory]
    [InlineData("env=prod,team=a", true)]
    [InlineData("env=dev,team=beta", true)]
    [InlineData("env=dev,team=alpha", false)]
    [InlineData("team=beta", true)]
    [InlineData("env=prod,tier=free", false)]
    [InlineData("", false)]
    public void Matches_LabelSets(string labels, bool expected)
    {
        var grant = Grant.Parse([["env=\"prod\"", "tier!=\"free\""], ["team=\"beta\""]]);
        var dict = labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(expected, grant.Matches(dict));
    }

    [Fact]
    public void Matches_MergedRegexExactly()
    {
        var grant = Grant.Parse([["team=\"a.b\""], ["team=\"c|d\""]]);
        Assert.True(grant.Matches(new Dictionary<string, string> { ["team"] = "a.b" }));
        Assert.True(grant.Matches(new Dictionary<string, string> { ["team"] = "c|d" }));
        Assert.False(grant.Matches(new Dictionary<string, string> { ["team"] = "axb" }));
        Assert.False(grant.Matches(new Dictionary<string, string> { ["team"] = "c" }));
    }

    [Fact]
    public void ToStrings_RoundTrips()
    {
        var grant = Grant.Parse([["env=\"prod\"", "team=~\"a|b\""], ["tier!=\"free\""]]);
        Assert.Equal(grant.ToString(), Grant.Parse(grant.ToStrings()).ToString());
    }

    /// <summary>Parses the test notation <c>[[m, m], [m]]</c> (matchers contain no <c>], [</c>).</summary>
    internal static List<List<string>> ParseList(string text)
    {
        var inner = text.Trim()[1..^1].Trim();
        if (inner.Length == 0)
        {
            return [];
        }
        return [.. inner[1..^1].Split("], [").Select(a => a.Length == 0 ? new List<string>() : [.. SplitMatchers(a)])];
    }

    private static IEnumerable<string> SplitMatchers(string alternative)
    {
        var start = 0;
        var inString = false;
        for (var i = 0; i < alternative.Length; i++)
        {
            var c = alternative[i];
            if (c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                inString = !inString;
            }
            else if (c == ',' && !inString)
            {
                yield return alternative[start..i].Trim();
                start = i + 1;
            }
        }
        yield return alternative[start..].Trim();
    }
}
