using Heimdall.Core.Federation;

namespace Heimdall.Tests.Federation;

public class TenantHeaderTests
{
    [Theory]
    [InlineData("acme", new[] { "acme" })]
    [InlineData("acme|globex", new[] { "acme", "globex" })]
    [InlineData("acme|acme", new[] { "acme" })]
    [InlineData("b|a|b|c", new[] { "b", "a", "c" })]
    [InlineData("A-z_0.9!*'()", new[] { "A-z_0.9!*'()" })]
    [InlineData("...", new[] { "..." })]
    public void Parses_ValidHeader(string header, string[] expected)
    {
        var result = TenantHeader.Parse([header]);
        Assert.Equal(TenantHeaderStatus.Valid, result.Status);
        Assert.Equal(expected, result.Tenants);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("acme|", "empty tenant")]
    [InlineData("|acme", "empty tenant")]
    [InlineData("acme||globex", "empty tenant")]
    [InlineData(".", "not allowed")]
    [InlineData("acme|..", "not allowed")]
    [InlineData("acme,globex", "','")]
    [InlineData("ac me", "' '")]
    [InlineData("acme/x", "'/'")]
    [InlineData("acme\"", "'\"'")]
    [InlineData("caf\u00e9", "U+00E9")]
    [InlineData("a#b", "'#'")]
    public void Rejects_InvalidHeader(string header, string messagePart)
    {
        var result = TenantHeader.Parse([header]);
        Assert.Equal(TenantHeaderStatus.Invalid, result.Status);
        Assert.Contains(messagePart, result.Error);
        Assert.Empty(result.Tenants);
    }

    [Fact]
    public void Rejects_RepeatedHeader()
    {
        var result = TenantHeader.Parse(["acme", "globex"]);
        Assert.Equal(TenantHeaderStatus.Invalid, result.Status);
        Assert.Contains("2 times", result.Error);
    }

    [Fact]
    public void ReportsAbsent_WhenNoHeader()
    {
        Assert.Equal(TenantHeaderStatus.Absent, TenantHeader.Parse([]).Status);
    }

    [Fact]
    public void Accepts_150Bytes_Rejects_151()
    {
        Assert.Equal(TenantHeaderStatus.Valid, TenantHeader.Parse([new string('a', 150)]).Status);
        var result = TenantHeader.Parse([new string('a', 151)]);
        Assert.Equal(TenantHeaderStatus.Invalid, result.Status);
        Assert.Contains("150", result.Error);
    }

    [Fact]
    public void Rejects_MoreTenantsThanMax_AfterDeduplication()
    {
        Assert.Equal(TenantHeaderStatus.Valid, TenantHeader.Parse(["a|b|a|b"], maxTenants: 2).Status);
        var result = TenantHeader.Parse(["a|b|c"], maxTenants: 2);
        Assert.Equal(TenantHeaderStatus.TooManyTenants, result.Status);
        Assert.Contains("at most 2", result.Error);
    }

    [Fact]
    public void Formats_WithPipe()
    {
        Assert.Equal("a|b", TenantHeader.Format(["a", "b"]));
    }
}
