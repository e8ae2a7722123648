using Heimdall.Core.Federation;

namespace Heimdall.Tests.Federation;

public class FormUrlEncodingTests
{
    [Theory]
    [InlineData("query=up", "query", "up")]
    [InlineData("query=sum%28rate%28x%5B5m%5D%29%29", "query", "sum(rate(x[5m]))")]
    [InlineData("query=a+b", "query", "a b")]
    [InlineData("query=%E2%82%AC", "query", "\u20ac")]
    [InlineData("flag", "flag", "")]
    [InlineData("&&query=up&", "query", "up")]
    public void Parses_Pairs(string input, string key, string value)
    {
        var into = new List<KeyValuePair<string, string>>();
        Assert.Null(FormUrlEncoding.TryParse(System.Text.Encoding.ASCII.GetBytes(input), 100, into));
        Assert.Equal([new(key, value)], into);
    }

    [Theory]
    [InlineData("query=%ZZ", "invalid URL escape")]
    [InlineData("query=%2", "invalid URL escape")]
    [InlineData("a=1;b=2", "semicolon")]
    [InlineData("query=%FF%FE", "invalid UTF-8")]
    [InlineData("query=%C3", "invalid UTF-8")]
    public void Rejects_BadEncoding(string input, string messagePart)
    {
        var into = new List<KeyValuePair<string, string>>();
        Assert.Contains(messagePart, FormUrlEncoding.TryParse(System.Text.Encoding.ASCII.GetBytes(input), 100, into));
    }

    [Fact]
    public void Rejects_TooManyFields()
    {
        var input = string.Join('&', Enumerable.Range(0, 11).Select(i => $"match[]=x{i}"));
        var into = new List<KeyValuePair<string, string>>();
        Assert.Contains("too many form fields", FormUrlEncoding.TryParse(System.Text.Encoding.ASCII.GetBytes(input), 10, into));
    }

    [Fact]
    public void Rejects_UnencodedNonAsciiInQueryString()
    {
        var into = new List<KeyValuePair<string, string>>();
        Assert.NotNull(FormUrlEncoding.TryParseQueryString("?query=caf\u00e9", 10, into));
    }

    [Fact]
    public void RoundTrips_Encode()
    {
        KeyValuePair<string, string>[] pairs = [new("query", "sum by (job) (rate(x{a=~\"b|c\", d!=\"é €\"}[5m])) + 1"), new("match[]", "{__name__=~\".+\"}"), new("k", "")];
        var encoded = FormUrlEncoding.Encode(pairs);
        Assert.DoesNotContain(' ', encoded);
        var into = new List<KeyValuePair<string, string>>();
        Assert.Null(FormUrlEncoding.TryParse(System.Text.Encoding.ASCII.GetBytes(encoded), 100, into));
        Assert.Equal(pairs, into);
    }
}
