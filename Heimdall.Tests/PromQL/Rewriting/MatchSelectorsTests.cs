using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Tests.PromQL.Rewriting;

public sealed class MatchSelectorsTests
{
    private static readonly Grant s_prod = Grant.Parse([["env=\"prod\""]]);
    private static readonly Grant s_two = Grant.Parse([["env=\"prod\"", "tier!=\"free\""], ["team=\"beta\""]]);

    [Fact]
    public void Rewrite_InjectsEverySelector()
    {
        var result = MatchSelectors.Rewrite(["up", "{job=\"x\"}"], s_prod);
        Assert.True(result.Succeeded);
        Assert.Equal(["up{env=\"prod\"}", "{env=\"prod\",job=\"x\"}"], result.Selectors);
    }

    [Fact]
    public void Rewrite_OneSelectorPerAlternative()
    {
        var result = MatchSelectors.Rewrite(["up"], s_two);
        Assert.Equal(["up{env=\"prod\",tier!=\"free\"}", "up{team=\"beta\"}"], result.Selectors);
    }

    [Fact]
    public void Rewrite_NoSelectors_UsesGrant()
    {
        Assert.Equal(["{env=\"prod\",tier!=\"free\"}", "{team=\"beta\"}"], MatchSelectors.Rewrite([], s_two).Selectors);
        Assert.Empty(MatchSelectors.Rewrite([], Grant.Unrestricted).Selectors);
    }

    [Fact]
    public void ForGrant_MakesEmptyMatchingAlternativesValid() =>
        Assert.Equal(["{__name__=~\".+\",tier!=\"free\"}"], MatchSelectors.ForGrant(Grant.Parse([["tier!=\"free\""]])));

    [Theory]
    [InlineData("sum(up)")]
    [InlineData("up[5m]")]
    [InlineData("up{")]
    public void Rewrite_RejectsNonSelectors(string match)
    {
        var result = MatchSelectors.Rewrite([match], s_prod);
        Assert.Equal(InjectionErrorKind.BadData, result.ErrorKind);
        Assert.Contains("match[]", result.Error);
    }

    [Fact]
    public void Rewrite_ContradictingSelector_SelectsNothing_OrIsForbiddenInStrictMode()
    {
        Assert.Equal(["{__name__!~\".*\"}"], MatchSelectors.Rewrite(["up{env=\"dev\"}"], s_prod).Selectors);
        Assert.Equal(["up{env=\"prod\"}"], MatchSelectors.Rewrite(["up{env=\"dev\"}", "up"], s_prod).Selectors);
        Assert.Equal(InjectionErrorKind.Forbidden, MatchSelectors.Rewrite(["up{env=\"dev\"}"], s_prod, new InjectionOptions { Strict = true }).ErrorKind);
    }
}
