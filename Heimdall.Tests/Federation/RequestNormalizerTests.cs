using Heimdall.Core.Federation;

namespace Heimdall.Tests.Federation;

public class RequestNormalizerTests
{
    private static PrometheusEndpoint Endpoint(string path) => PrometheusEndpoints.Find(path, out _)!;

    private static KeyValuePair<string, string>[] P(params string[] kv) =>
        [.. Enumerable.Range(0, kv.Length / 2).Select(i => new KeyValuePair<string, string>(kv[2 * i], kv[2 * i + 1]))];

    [Fact]
    public void Merges_UrlAndBody()
    {
        var result = RequestNormalizer.Normalize(Endpoint("/api/v1/query_range"), P("start", "1", "end", "2"), P("query", "up", "step", "15"));
        Assert.Null(result.Error);
        Assert.Equal("up", result.Parameters!.Get("query"));
        Assert.Equal("15", result.Parameters.Get("step"));
        Assert.Equal(4, result.Parameters.Count);
    }

    [Fact]
    public void Keeps_RepeatedMatchers()
    {
        var result = RequestNormalizer.Normalize(Endpoint("/api/v1/series"), P("match[]", "up", "match[]", "down"), []);
        Assert.Equal(["up", "down"], result.Parameters!.GetAll("match[]"));
    }

    [Theory]
    [InlineData("query", "up", "query", "down", "more than once")]
    [InlineData("query", "up", "foo", "bar", "unknown parameter \"foo\"")]
    [InlineData("time", "1", "time", "2", "more than once")]
    public void Rejects_InUrl(string k1, string v1, string k2, string v2, string message)
    {
        var result = RequestNormalizer.Normalize(Endpoint("/api/v1/query"), P(k1, v1, k2, v2), []);
        Assert.Null(result.Parameters);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public void Rejects_ParameterInUrlAndBody()
    {
        var result = RequestNormalizer.Normalize(Endpoint("/api/v1/query"), P("query", "up"), P("query", "secret"));
        Assert.Contains("both in the URL and in the body", result.Error);
        var matchers = RequestNormalizer.Normalize(Endpoint("/api/v1/series"), P("match[]", "up"), P("match[]", "x"));
        Assert.Contains("both in the URL and in the body", matchers.Error);
    }

    [Theory]
    [InlineData("/api/v1/query", "query")]
    [InlineData("/api/v1/query_range", "query")]
    [InlineData("/api/v1/series", "match[]")]
    [InlineData("/api/v1/format_query", "query")]
    public void Rejects_MissingRequired(string path, string parameter)
    {
        var result = RequestNormalizer.Normalize(Endpoint(path), [], []);
        Assert.Contains($"missing required parameter \"{parameter}\"", result.Error);
    }

    [Fact]
    public void Rejects_EmptyRequired()
    {
        Assert.Contains("missing required", RequestNormalizer.Normalize(Endpoint("/api/v1/query"), P("query", ""), []).Error);
    }

    [Fact]
    public void Parameters_AreImmutableCopies()
    {
        var original = RequestNormalizer.Normalize(Endpoint("/api/v1/series"), P("match[]", "a", "start", "1", "match[]", "b"), []).Parameters!;
        var rewritten = original.With("match[]", ["x{t=\"1\"}"]);
        Assert.Equal(["a", "b"], original.GetAll("match[]"));
        Assert.Equal(["x{t=\"1\"}"], rewritten.GetAll("match[]"));
        Assert.Equal("match%5B%5D=x%7Bt%3D%221%22%7D&start=1", rewritten.Encode());
        Assert.False(rewritten.Without("start").Contains("start"));
        Assert.True(rewritten.Contains("start"));
    }
}
