using Heimdall.Core.Policy;

namespace Heimdall.Tests.Policy;

public sealed class TenantIdRulesTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("Team-1_prod.eu")]
    [InlineData("a!b*c'd(e)")]
    [InlineData("...")]
    [InlineData("*")]
    public void Accepts_MimirTenantIds(string id) => Assert.Null(TenantIdRules.Validate(id));

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "must not be \".\"")]
    [InlineData("..", "must not be \"..\"")]
    [InlineData("a|b", "'|'")]
    [InlineData("a b", "U+0020")]
    [InlineData("a/b", "'/'")]
    [InlineData("ä", "'ä'")]
    [InlineData("a:b", "':'")]
    public void Rejects_InvalidIds(string id, string expected) => Assert.Contains(expected, TenantIdRules.Validate(id));

    [Fact]
    public void Rejects_IdsLongerThan150Bytes()
    {
        Assert.Null(TenantIdRules.Validate(new string('a', 150)));
        Assert.Contains("150 bytes", TenantIdRules.Validate(new string('a', 151)));
    }
}
