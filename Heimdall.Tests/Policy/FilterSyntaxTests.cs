using Heimdall.Core.Policy;

namespace Heimdall.Tests.Policy;

public sealed class FilterSyntaxTests
{
    [Theory]
    [InlineData("env=\"prod\"")]
    [InlineData("team=~\"a|b\"")]
    [InlineData("env!=\"dev\"")]
    [InlineData("job!~'node.*'")]
    [InlineData("__name__=~\"http_.*\"")]
    [InlineData(" env = `prod` ")]
    [InlineData("\"service.name\"=\"api\"")]
    [InlineData("env=\"\"")]
    public void Accepts_OneLabelMatcher(string filter) => Assert.Null(FilterSyntax.Validate(filter));

    [Theory]
    [InlineData("")]
    [InlineData("env=prod")]
    [InlineData("env==\"prod\"")]
    [InlineData("env=\"prod\",team=\"a\"")]
    [InlineData("{env=\"prod\"}")]
    [InlineData("env=\"prod")]
    [InlineData("env")]
    [InlineData("1env=\"x\"")]
    [InlineData("env=~\"(\"")]
    [InlineData("env=~\"a(?=b)\"")]
    [InlineData("env=~\"(a)\\\\1\"")]
    [InlineData("up{env=\"prod\"}")]
    public void Rejects_AnythingButOneMatcher(string filter) => Assert.NotNull(FilterSyntax.Validate(filter));
}
