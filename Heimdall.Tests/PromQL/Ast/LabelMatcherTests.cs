using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Tests.PromQL.Ast;

public sealed class LabelMatcherTests
{
    [Theory]
    [InlineData(LabelMatchType.Equal, "prod", "prod", true)]
    [InlineData(LabelMatchType.Equal, "prod", "production", false)]
    [InlineData(LabelMatchType.Equal, "", "", true)]
    [InlineData(LabelMatchType.NotEqual, "prod", "dev", true)]
    [InlineData(LabelMatchType.NotEqual, "prod", "prod", false)]
    [InlineData(LabelMatchType.Regex, "prod", "production", false)]
    [InlineData(LabelMatchType.Regex, "prod|dev", "dev", true)]
    [InlineData(LabelMatchType.Regex, "prod|dev", "xdev", false)]
    [InlineData(LabelMatchType.Regex, "a.*", "abc", true)]
    [InlineData(LabelMatchType.Regex, ".*", "", true)]
    [InlineData(LabelMatchType.Regex, ".+", "", false)]
    [InlineData(LabelMatchType.Regex, "a.c", "a\nc", true)]
    [InlineData(LabelMatchType.Regex, "(?i)PROD", "prod", true)]
    [InlineData(LabelMatchType.Regex, "(?P<env>prod)", "prod", true)]
    [InlineData(LabelMatchType.NotRegex, "dev.*", "development", false)]
    [InlineData(LabelMatchType.NotRegex, "dev.*", "prod", true)]
    public void MatchesFullyAnchored(LabelMatchType type, string pattern, string value, bool expected) =>
        Assert.Equal(expected, new LabelMatcher(type, "env", pattern).Matches(value));

    [Theory]
    [InlineData("(")]
    [InlineData("a)")]
    [InlineData("(?=a)")]
    [InlineData("(?<!a)b")]
    [InlineData("(a)\\1")]
    [InlineData("*")]
    public void RejectsRegexesRe2Rejects(string pattern)
    {
        Assert.Throws<ArgumentException>(() => new LabelMatcher(LabelMatchType.Regex, "a", pattern));
        Assert.False(LabelMatcher.TryCreate(LabelMatchType.NotRegex, "a", pattern, out var matcher, out var error));
        Assert.Null(matcher);
        Assert.StartsWith("error parsing regexp: ", error);
    }

    [Fact]
    public void MatchesInLinearTime_OnPathologicalInput()
    {
        var matcher = new LabelMatcher(LabelMatchType.Regex, "a", "(a+)+$");
        Assert.False(matcher.Matches(new string('a', 50_000) + "!"));
    }

    [Theory]
    [InlineData(LabelMatchType.Equal, "env", "prod", "env=\"prod\"")]
    [InlineData(LabelMatchType.NotRegex, "service.name", "a\"b", "\"service.name\"!~\"a\\\"b\"")]
    [InlineData(LabelMatchType.Regex, "a", "\\d+", "a=~\"\\\\d+\"")]
    [InlineData(LabelMatchType.NotEqual, "a", "\u00a0é\n", "a!=\"\\u00a0é\\n\"")]
    public void PrintsCanonicalText(LabelMatchType type, string name, string value, string expected) =>
        Assert.Equal(expected, new LabelMatcher(type, name, value).ToString());

    [Fact]
    public void ComparesByContent()
    {
        Assert.Equal(new LabelMatcher(LabelMatchType.Regex, "a", "b|c"), new LabelMatcher(LabelMatchType.Regex, "a", "b|c"));
        Assert.NotEqual(new LabelMatcher(LabelMatchType.Regex, "a", "b"), new LabelMatcher(LabelMatchType.Equal, "a", "b"));
    }
}
