using System.Text.RegularExpressions;
using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Tests.PromQL.Rewriting;

public sealed class Re2EscapingTests
{
    [Theory]
    [InlineData("prod", "prod")]
    [InlineData("a.b", "a\\.b")]
    [InlineData("c|d", "c\\|d")]
    [InlineData("x(y)", "x\\(y\\)")]
    [InlineData("a b#c", "a b#c")]
    [InlineData("^$*+?{}[]\\", "\\^\\$\\*\\+\\?\\{\\}\\[\\]\\\\")]
    [InlineData("ünï-cødé", "ünï-cødé")]
    public void QuoteMeta_EscapesOnlyRe2Metacharacters(string literal, string expected)
    {
        var escaped = Re2Escaping.QuoteMeta(literal);
        Assert.Equal(expected, escaped);
        Assert.Matches(new Regex("^(?:" + escaped + ")$"), literal);
        Assert.True(LiteralRegex.TryGetLiterals(escaped, out var set));
        Assert.Equal([literal], set);
    }
}
