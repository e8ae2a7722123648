using Heimdall.Core.Federation;
using Heimdall.Core.Policy;

namespace Heimdall.Tests.Federation;

public class LabelMatcherGrantTests
{
    private static IGrantMatcher Grant(params string[][] alternatives) =>
        LabelMatcherGrant.TryCreate(new TenantDecision { Allow = true, Filters = alternatives }, out var error) ?? throw new InvalidOperationException(error);

    [Theory]
    [InlineData("env=\"prod\"", "prod", true)]
    [InlineData("env=\"prod\"", "production", false)]
    [InlineData("env!=\"prod\"", "dev", true)]
    [InlineData("env=~\"pro.\"", "prod", true)]
    [InlineData("env=~\"pro\"", "prod", false)]
    [InlineData("env=~'a|prod'", "prod", true)]
    [InlineData("env!~`de.*`", "dev", false)]
    [InlineData("env=~\"a.b\"", "a\nb", true)]
    [InlineData("env=\"\"", "", true)]
    [InlineData("env=\"caf\\u00e9\"", "café", true)]
    [InlineData("env=\"a\\\"b\"", "a\"b", true)]
    public void Matches_LikePrometheus(string matcher, string value, bool expected)
    {
        var labels = new Dictionary<string, string> { ["env"] = value };
        Assert.Equal(expected, Grant([matcher]).Matches(labels));
    }

    [Fact]
    public void TreatsMissingLabel_AsEmpty()
    {
        Assert.False(Grant(["env=\"prod\""]).Matches(new Dictionary<string, string>()));
        Assert.True(Grant(["env!=\"prod\""]).Matches(new Dictionary<string, string>()));
    }

    [Fact]
    public void OrsAlternatives_AndsMatchers()
    {
        var grant = Grant(["env=\"prod\"", "team=\"a\""], ["env=\"dev\""]);
        Assert.True(grant.Matches(new Dictionary<string, string> { ["env"] = "prod", ["team"] = "a" }));
        Assert.False(grant.Matches(new Dictionary<string, string> { ["env"] = "prod", ["team"] = "b" }));
        Assert.True(grant.Matches(new Dictionary<string, string> { ["env"] = "dev" }));
        Assert.False(grant.IsUnrestricted);
        Assert.True(Grant(Array.Empty<string>()).IsUnrestricted);
        // An allow with no alternative at all is malformed: refused, never read as "everything".
        Assert.Null(LabelMatcherGrant.TryCreate(new TenantDecision { Allow = true, Filters = [] }, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("env")]
    [InlineData("env=prod")]
    [InlineData("=\"x\"")]
    [InlineData("env=~\"(\"")]
    [InlineData("env==\"x\"")]
    [InlineData("1env=\"x\"")]
    public void FailsClosed_OnMalformedMatcher(string matcher)
    {
        Assert.Null(LabelMatcherGrant.TryCreate(new TenantDecision { Allow = true, Filters = [[matcher]] }, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void FailsClosed_OnDenial()
    {
        Assert.Null(LabelMatcherGrant.TryCreate(TenantDecision.Denied, out _));
    }
}
