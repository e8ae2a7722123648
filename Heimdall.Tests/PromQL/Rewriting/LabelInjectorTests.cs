using Heimdall.Core.PromQL.Parser;
using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Tests.PromQL.Rewriting;

public sealed class LabelInjectorTests
{
    private static readonly Grant s_prod = Grant.Parse([["env=\"prod\""]]);
    private static readonly Grant s_twoAlternatives = Grant.Parse([["env=\"prod\"", "tier!=\"free\""], ["team=\"beta\""]]);

    [Theory]
    [InlineData("up", "up{env=\"prod\"}")]
    [InlineData("up{job=\"api\"}", "up{env=\"prod\",job=\"api\"}")]
    [InlineData("{__name__=~\"http_.*\"}", "{__name__=~\"http_.*\",env=\"prod\"}")]
    [InlineData("sum by (job) (rate(http_requests_total{code=\"500\"}[5m]))", "sum by (job) (rate(http_requests_total{code=\"500\",env=\"prod\"}[5m]))")]
    [InlineData("a / on (x) group_left (y) b", "a{env=\"prod\"} / on (x) group_left (y) b{env=\"prod\"}")]
    [InlineData("up or on () vector(1)", "up{env=\"prod\"} or on () vector(1)")]
    [InlineData("max_over_time(rate(x[5m])[30m:1m])", "max_over_time(rate(x{env=\"prod\"}[5m])[30m:1m])")]
    [InlineData("up offset 5m", "up{env=\"prod\"} offset 5m")]
    [InlineData("rate(x[5m] offset -1h)", "rate(x{env=\"prod\"}[5m] offset -1h)")]
    [InlineData("label_replace(up, \"env\", \"prod\", \"\", \"\")", "label_replace(up{env=\"prod\"}, \"env\", \"prod\", \"\", \"\")")]
    [InlineData("count_values(\"v\", up)", "count_values(\"v\", up{env=\"prod\"})")]
    [InlineData("topk(scalar(n), up)", "topk(scalar(n{env=\"prod\"}), up{env=\"prod\"})")]
    [InlineData("up{env=\"prod\"}", "up{env=\"prod\"}")]
    [InlineData("up{env=\"dev\"}", "up{env=\"dev\",env=\"prod\"}")]
    [InlineData("up[5m]", "up{env=\"prod\"}[5m]")]
    [InlineData("1 + 1", "1 + 1")]
    [InlineData("vector(1)", "vector(1)")]
    [InlineData("time()", "time()")]
    public void Injects_OneAlternative(string query, string expected) => AssertRewrites(s_prod, query, expected);

    [Theory]
    [InlineData("up", "(up{env=\"prod\",tier!=\"free\"} or up{team=\"beta\"})")]
    [InlineData("sum(up)", "sum((up{env=\"prod\",tier!=\"free\"} or up{team=\"beta\"}))")]
    [InlineData("rate(x[5m])", "(rate(x{env=\"prod\",tier!=\"free\"}[5m]) or rate(x{team=\"beta\"}[5m]))")]
    [InlineData("quantile_over_time(0.9, x[5m] offset 1m)", "(quantile_over_time(0.9, x{env=\"prod\",tier!=\"free\"}[5m] offset 1m) or quantile_over_time(0.9, x{team=\"beta\"}[5m] offset 1m))")]
    [InlineData("max_over_time(rate(x[5m])[30m:1m])", "max_over_time((rate(x{env=\"prod\",tier!=\"free\"}[5m]) or rate(x{team=\"beta\"}[5m]))[30m:1m])")]
    [InlineData("timestamp(up)", "(timestamp(up{env=\"prod\",tier!=\"free\"}) or timestamp(up{team=\"beta\"}))")]
    [InlineData("up{team=\"beta\"}", "up{team=\"beta\"}")]
    [InlineData("up{env=\"prod\"}", "(up{env=\"prod\",team=\"beta\"} or up{env=\"prod\",tier!=\"free\"})")]
    [InlineData("up{env=\"dev\"}", "up{env=\"dev\",team=\"beta\"}")]
    [InlineData("up{team=\"beta\"}[5m]", "up{team=\"beta\"}[5m]")]
    [InlineData("up{env=\"dev\"}[5m]", "up{env=\"dev\",team=\"beta\"}[5m]")]
    [InlineData("{job=\"a\"}",
        "label_replace((label_replace({env=\"prod\",job=\"a\",tier!=\"free\"}, \"__heimdall_name__\", \"$1\", \"__name__\", \"(.*)\") or " +
        "label_replace({job=\"a\",team=\"beta\"}, \"__heimdall_name__\", \"$1\", \"__name__\", \"(.*)\")), \"__heimdall_name__\", \"\", \"\", \"\")")]
    public void Expands_SeveralAlternatives(string query, string expected) => AssertRewrites(s_twoAlternatives, query, expected);

    [Theory]
    [InlineData("up", "up{team=~\"a\\\\.b|c\\\\|d\"}")]
    [InlineData("up{team=\"c|d\"}", "up{team=\"c|d\"}")]
    [InlineData("up{team=\"c\"}", "up{team=\"c\",team=~\"a\\\\.b|c\\\\|d\"}")]
    public void Merges_EqualityAlternatives(string query, string expected) =>
        AssertRewrites(Grant.Parse([["team=\"a.b\""], ["team=\"c|d\""]]), query, expected);

    [Theory]
    [InlineData("absent(up{job=\"x\"})", "(label_replace(vector(1), \"job\", \"x\", \"\", \"\") and on () absent(up{env=\"prod\",job=\"x\"}))")]
    [InlineData("absent(up)", "(vector(1) and on () absent(up{env=\"prod\"}))")]
    [InlineData("absent(up{job=\"a$1\"})", "(label_replace(vector(1), \"job\", \"a$$1\", \"\", \"\") and on () absent(up{env=\"prod\",job=\"a$1\"}))")]
    [InlineData("absent(up{env=\"prod\"})", "absent(up{env=\"prod\"})")]
    [InlineData("absent_over_time(up{job=\"x\"}[5m])", "(label_replace(vector(1), \"job\", \"x\", \"\", \"\") and on () absent_over_time(up{env=\"prod\",job=\"x\"}[5m]))")]
    [InlineData("absent(sum(up))", "absent(sum(up{env=\"prod\"}))")]
    public void RewritesAbsent_KeepingTheUsersLabels(string query, string expected) => AssertRewrites(s_prod, query, expected);

    [Fact]
    public void RewritesAbsent_WithoutLabelVector_WhenGrantAddsNoLabels()
    {
        AssertRewrites(Grant.Parse([["__name__=~\"up|x\""]]), "absent({job=\"x\"})", "absent({__name__=~\"up|x\",job=\"x\"})");
        AssertRewrites(Grant.Parse([["__name__=~\"up|x\""]]), "absent(up{job=\"x\"})", "absent(up{job=\"x\"})");
    }

    [Fact]
    public void RewritesAbsent_UnderSeveralAlternatives()
    {
        AssertRewrites(s_twoAlternatives, "absent(up{job=\"x\"})",
            "(label_replace(vector(1), \"job\", \"x\", \"\", \"\") and on () absent(up{env=\"prod\",job=\"x\",tier!=\"free\"}) and on () absent(up{job=\"x\",team=\"beta\"}))");
    }

    [Theory]
    [InlineData("up[5m]")]
    [InlineData("(up{job=\"a\"}[5m] offset 1m)")]
    public void Refuses_BareRangeSelector_UnderSeveralAlternatives(string query)
    {
        var result = LabelInjector.Inject(query, s_twoAlternatives);
        Assert.False(result.Succeeded);
        Assert.Equal(InjectionErrorKind.Unsupported, result.ErrorKind);
        Assert.Contains("range selector", result.Error);
    }

    [Theory]
    [InlineData("up{env=\"dev\"}")]
    [InlineData("sum(rate(x{env=\"staging\"}[5m]))")]
    [InlineData("up{env=\"prod\"} or up{env=\"dev\"}")]
    public void StrictMode_RefusesContradictingSelector(string query)
    {
        var result = LabelInjector.Inject(query, s_prod, new InjectionOptions { Strict = true });
        Assert.False(result.Succeeded);
        Assert.Equal(InjectionErrorKind.Forbidden, result.ErrorKind);
        Assert.Contains("outside the caller's grant", result.Error);
    }

    [Theory]
    [InlineData("up{env=\"prod\"}")]
    [InlineData("up{env=~\"dev\"}")]
    [InlineData("up{job=\"x\"}")]
    public void StrictMode_AcceptsSelectorsThatMayMatch(string query)
    {
        Assert.True(LabelInjector.Inject(query, s_prod, new InjectionOptions { Strict = true }).Succeeded);
    }

    [Fact]
    public void Info_InjectsBothSelectors_AndRefusesSeveralAlternativesForItsDataSelector()
    {
        Assert.True(PromQLParser.TryParse("info(up, {k8s_cluster_name=~\".+\"})", out var expr, out var error), error?.ToString());
        Assert.Equal("info(up{env=\"prod\"}, {env=\"prod\",k8s_cluster_name=~\".+\"})", LabelInjector.Inject(expr!, s_prod).Expr!.ToString());
        var refused = LabelInjector.Inject(expr!, s_twoAlternatives);
        Assert.Equal(InjectionErrorKind.Unsupported, refused.ErrorKind);
        Assert.Contains("info()", refused.Error);
    }

    [Fact]
    public void Unrestricted_ReturnsSameTree()
    {
        var expr = PromQLParser.Parse("sum(rate(x[5m]))");
        Assert.Same(expr, LabelInjector.Inject(expr, Grant.Unrestricted).Expr);
    }

    [Fact]
    public void ParseError_IsBadData()
    {
        var result = LabelInjector.Inject("sum(", s_prod);
        Assert.Equal(InjectionErrorKind.BadData, result.ErrorKind);
        Assert.Contains("parse error", result.Error);
    }

    [Fact]
    public void InjectsGrantOnMetricName()
    {
        var grant = Grant.Parse([["__name__=~\"http_.*\""]]);
        AssertRewrites(grant, "up", "{__name__=\"up\",__name__=~\"http_.*\"}");
        AssertRewrites(grant, "rate(up[5m] offset 1m)", "rate({__name__=\"up\",__name__=~\"http_.*\"}[5m] offset 1m)");
        AssertRewrites(grant, "{job=\"x\"}", "{__name__=~\"http_.*\",job=\"x\"}");
    }

    [Fact]
    public void RewrittenQuery_ParsesBack()
    {
        foreach (var query in RewriterSemanticTests.Queries)
        {
            foreach (var grant in SemanticGrants.All)
            {
                var result = LabelInjector.Inject(query, grant.Grant);
                if (result.Succeeded)
                {
                    var printed = result.Expr!.ToString();
                    Assert.True(PromQLParser.TryParse(printed, out var reparsed, out var error), $"{query} => {printed}: {error}");
                    Assert.Equal(printed, reparsed!.ToString());
                }
            }
        }
    }

    private static void AssertRewrites(Grant grant, string query, string expected)
    {
        var result = LabelInjector.Inject(query, grant);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(expected, result.Expr!.ToString());
    }
}
