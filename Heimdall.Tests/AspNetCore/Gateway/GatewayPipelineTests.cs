using System.Net;
using System.Text;
using System.Text.Json;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Heimdall.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Heimdall.Tests.AspNetCore.Gateway;

public class GatewayPipelineTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Fanout => fixture.Fanout;

    private GatewayHost Host(string strategy) => strategy == "fanout" ? fixture.Fanout : fixture.Native;

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(GatewayHost host, HttpRequestMessage request)
    {
        var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static string[] Metrics(JsonElement body) =>
        [.. body.GetProperty("data").GetProperty("result").EnumerateArray().Select(s => s.GetProperty("metric").GetRawText())];

    private static readonly string[] s_prodBoth =
    [
        """{"__name__":"fed_metric","__tenant_id__":"acme","env":"prod","owner":"acme"}""",
        """{"__name__":"fed_metric","__tenant_id__":"globex","env":"prod","owner":"globex"}""",
    ];

    [Theory]
    [InlineData("fanout")]
    [InlineData("native")]
    public async Task InstantQuery_ReturnsExactlyTheGrantedSeries_OfEveryTenant(string strategy)
    {
        var host = Host(strategy);
        var (status, body, _) = await SendAsync(host, host.Request(HttpMethod.Get, $"/prometheus/api/v1/query?query=fed_metric&time={fixture.Time}", tenants: "acme|globex"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(s_prodBoth, Metrics(body));
    }

    [Fact]
    public async Task FanoutInstantQuery_WithoutTime_EvaluatesEveryTenantAtOneTime()
    {
        var host = fixture.Fanout;
        var (status, body, _) = await SendAsync(host, host.Request(HttpMethod.Get, "/prometheus/api/v1/query?query=vector(1)", tenants: "acme|globex"));
        Assert.Equal(HttpStatusCode.OK, status);
        var times = body.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => r.GetProperty("value")[0].GetDouble()).ToList();
        Assert.Equal(2, times.Count);
        Assert.Single(times.Distinct());
    }

    [Theory]
    [InlineData("fanout")]
    [InlineData("native")]
    public async Task RangeQuery_AsForm_ReturnsGrantedMatrix(string strategy)
    {
        var host = Host(strategy);
        var form = new FormUrlEncodedContent([new("query", "fed_metric"), new("start", $"{fixture.Start}"), new("end", $"{fixture.Start + 120}"), new("step", "60")]);
        var (status, body, _) = await SendAsync(host, host.Request(HttpMethod.Post, "/api/v1/query_range", tenants: "globex|acme", content: form));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("matrix", body.GetProperty("data").GetProperty("resultType").GetString());
        Assert.Equal(s_prodBoth, Metrics(body));
        Assert.All(body.GetProperty("data").GetProperty("result").EnumerateArray(), s => Assert.Equal(3, s.GetProperty("values").GetArrayLength()));
    }

    [Theory]
    [InlineData("fanout")]
    [InlineData("native")]
    public async Task SeriesLabelsAndValues_ShowOnlyGrantedData(string strategy)
    {
        var host = Host(strategy);
        var range = $"start={fixture.Start}&end={fixture.Start + 600}";
        var (_, series, _) = await SendAsync(host, host.Request(HttpMethod.Get, $"/api/v1/series?match[]=fed_metric&{range}", tenants: "acme|globex"));
        Assert.Equal(s_prodBoth, series.GetProperty("data").EnumerateArray().Select(s => s.GetRawText()));

        var (_, values, _) = await SendAsync(host, host.Request(HttpMethod.Get, $"/api/v1/label/env/values?{range}", tenants: "acme|globex"));
        Assert.Equal(["prod"], values.GetProperty("data").EnumerateArray().Select(v => v.GetString()));

        var (_, labels, _) = await SendAsync(host, host.Request(HttpMethod.Get, $"/api/v1/labels?{range}", tenants: "acme|globex"));
        Assert.Equal(["__name__", "__tenant_id__", "env", "owner"], labels.GetProperty("data").EnumerateArray().Select(v => v.GetString()));

        var (_, tenants, _) = await SendAsync(host, host.Request(HttpMethod.Get, "/api/v1/label/__tenant_id__/values", tenants: "globex|acme"));
        Assert.Equal(["acme", "globex"], tenants.GetProperty("data").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task ResolvesTenants_WhenHeaderAbsent()
    {
        var host = Fanout;
        var (status, body, _) = await SendAsync(host, host.Request(HttpMethod.Get, $"/api/v1/query?query=fed_metric&time={fixture.Time}"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(s_prodBoth, Metrics(body));

        // bob may read only acme, unrestricted: one tenant, so no federation label and both envs.
        var (_, bob, _) = await SendAsync(host, host.Request(HttpMethod.Get, $"/api/v1/query?query=fed_metric&time={fixture.Time}", user: "bob"));
        Assert.Equal(
        [
            """{"__name__":"fed_metric","env":"dev","owner":"acme"}""",
            """{"__name__":"fed_metric","env":"prod","owner":"acme"}""",
        ], Metrics(bob).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PromtoolQuery_ThroughHeimdall_SeesOnlyGrantedSeries()
    {
        var url = new UriBuilder(Fanout.Url) { UserName = "alice", Password = "x" }.Uri.ToString().TrimEnd('/');
        var result = await ProcessRunner.RunAsync("/usr/bin/promtool", ["query", "instant", "--time=" + fixture.Time, url, "fed_metric"]);
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("__tenant_id__=\"acme\"", lines[0]);
        Assert.Contains("__tenant_id__=\"globex\"", lines[1]);
        Assert.DoesNotContain("dev", result.StdOut);
    }

    [Fact]
    public async Task FiltersRules_PerTenantGrant()
    {
        // No rules are loaded in these servers: the answer is the empty, well-formed merge of both tenants.
        var (status, body, _) = await SendAsync(Fanout, Fanout.Request(HttpMethod.Get, "/api/v1/rules", tenants: "acme|globex"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("data").GetProperty("groups").GetArrayLength());
    }

    [Theory]
    [InlineData("GET", "/api/v1/admin/tsdb/delete_series", 404)]
    [InlineData("POST", "/api/v1/admin/tsdb/snapshot", 404)]
    [InlineData("GET", "/api/v1/targets", 404)]
    [InlineData("GET", "/api/v1/status/config", 404)]
    [InlineData("GET", "/prometheus/graph", 404)]
    [InlineData("DELETE", "/api/v1/series", 405)]
    [InlineData("PUT", "/api/v1/query", 405)]
    [InlineData("POST", "/api/v1/label/job/values", 405)]
    public async Task Refuses_OutsideTheAllowList(string method, string path, int expected)
    {
        var (status, body, response) = await SendAsync(Fanout, Fanout.Request(new HttpMethod(method), path, tenants: "acme"));
        Assert.Equal(expected, (int)status);
        Assert.Equal("error", body.GetProperty("status").GetString());
        if (expected == 405)
        {
            Assert.NotEmpty(response.Content.Headers.Allow);
        }
    }

    [Fact]
    public async Task Returns401_WithChallenge_WithoutCredentials()
    {
        var (status, body, response) = await SendAsync(Fanout, Fanout.Request(HttpMethod.Get, "/api/v1/query?query=fed_metric", user: null));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", body.GetProperty("errorType").GetString());
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData("acme|", 400, "empty tenant")]
    [InlineData("acme,globex", 400, "','")]
    [InlineData("..", 400, "not allowed")]
    [InlineData("a|b|c|d", 422, "at most 3")]
    [InlineData("acme|initech", 403, "initech")]
    [InlineData("nosuch", 403, "nosuch")]
    public async Task RefusesTenantHeader_BeforeAnyUpstreamCall(string header, int expected, string message)
    {
        var (status, body, _) = await SendAsync(Fanout, Fanout.Request(HttpMethod.Get, "/api/v1/query?query=fed_metric", tenants: header));
        Assert.Equal(expected, (int)status);
        Assert.Contains(message, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Refuses_RepeatedTenantHeader()
    {
        var request = Fanout.Request(HttpMethod.Get, "/api/v1/query?query=fed_metric");
        request.Headers.TryAddWithoutValidation("X-Scope-OrgID", ["acme", "globex"]);
        var (status, _, _) = await SendAsync(Fanout, request);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Theory]
    [InlineData("/api/v1/query?query=fed_metric&query=up", null, 400, "more than once")]
    [InlineData("/api/v1/query?query=fed_metric", "query=up", 400, "both in the URL and in the body")]
    [InlineData("/api/v1/query?query=fed_metric&evil=1", null, 400, "unknown parameter")]
    [InlineData("/api/v1/query", null, 400, "missing required parameter")]
    [InlineData("/api/v1/query", "query=%ZZ", 400, "invalid URL escape")]
    [InlineData("/api/v1/query?query=%FF", null, 400, "UTF-8")]
    [InlineData("/api/v1/query", "query=sum(rate(x[5m])", 400, "parse error")]
    public async Task RefusesMalformedParameters(string path, string? form, int expected, string message)
    {
        var content = form is null ? null : new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        var (status, body, _) = await SendAsync(Fanout, Fanout.Request(form is null ? HttpMethod.Get : HttpMethod.Post, path, tenants: "acme", content: content));
        Assert.Equal(expected, (int)status);
        Assert.Contains(message, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Refuses_WrongContentType_AndOversizedBody()
    {
        var json = new StringContent("""{"query":"up"}""", Encoding.UTF8, "application/json");
        var (status, body, _) = await SendAsync(Fanout, Fanout.Request(HttpMethod.Post, "/api/v1/query", tenants: "acme", content: json));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("bad_data", body.GetProperty("errorType").GetString());

        var big = new StringContent("query=" + new string('a', 4096), Encoding.UTF8, "application/x-www-form-urlencoded");
        var (tooBig, _, _) = await SendAsync(Fanout, Fanout.Request(HttpMethod.Post, "/api/v1/query", tenants: "acme", content: big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig);
    }

    [Fact]
    public async Task Returns503_WhenAuthorizationUnavailable()
    {
        // Fault injection: the stand-in evaluator reports itself unavailable (as an unreachable OPA would).
        await using var host = await GatewayHost.StartAsync(new() { ["mimir:url"] = fixture.Acme.Url.ToString() });
        host.Policy.Unavailable = true;
        var (status, body, _) = await SendAsync(host, host.Request(HttpMethod.Get, "/api/v1/query?query=fed_metric", tenants: "acme"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("opa is down", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Explain_ShowsTenantsDecisionsAndRewrittenQuery_WithoutUpstream()
    {
        var host = fixture.Native;
        var (status, body, _) = await SendAsync(host, host.Request(HttpMethod.Get, "/heimdall/v1/explain?query=fed_metric", tenants: "acme|globex"));
        Assert.Equal(HttpStatusCode.OK, status);
        var data = body.GetProperty("data");
        Assert.Equal(["acme", "globex"], data.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("native", data.GetProperty("strategy").GetString());
        Assert.Equal("env=\"prod\"", data.GetProperty("decisions").GetProperty("acme").GetProperty("filters")[0][0].GetString());
        // Tenants with the same grant merge into one tenant-qualified regex (the real PromQL rewriter).
        Assert.Equal("fed_metric{__tenant_id__=~\"acme|globex\",env=\"prod\"}",
            data.GetProperty("rewrittenQuery").GetString());
    }

    [Theory]
    [InlineData("fanout", "match[]={__tenant_id__=\"acme\"}", new[] { "acme" })]
    [InlineData("native", "match[]={__tenant_id__=\"acme\"}", new[] { "acme" })]
    [InlineData("fanout", "match[]=fed_metric{__tenant_id__=~\"a.*\",env=\"dev\"}", new[] { "acme" })] // other matchers do not filter
    [InlineData("native", "match[]=fed_metric{__tenant_id__=~\"a.*\",env=\"dev\"}", new[] { "acme" })]
    [InlineData("fanout", "match[]={__tenant_id__=\"acme\"}&match[]={__tenant_id__=\"globex\"}", new[] { "acme", "globex" })]
    [InlineData("native", "match[]=fed_metric", new[] { "acme", "globex" })]
    [InlineData("fanout", "match[]={__tenant_id__=~\"x.*\"}", new string[0])]
    [InlineData("native", "match[]={__tenant_id__=\"initech\"}", new string[0])]
    [InlineData("fanout", "limit=1", new[] { "acme" })]
    public async Task TenantLabelValues_AreTheHeadersTenants_FilteredOnlyByTenantMatchers(string strategy, string query, string[] expected)
    {
        var host = Host(strategy);
        var (status, body, _) = await SendAsync(host, host.Request(HttpMethod.Get, "/api/v1/label/__tenant_id__/values?" + query, tenants: "globex|acme"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, body.GetProperty("data").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task TenantLabelValues_RefusesAnInvalidSelector()
    {
        var (status, body, _) = await SendAsync(Fanout, Fanout.Request(HttpMethod.Get, "/api/v1/label/__tenant_id__/values?match[]=sum(x)", tenants: "globex|acme"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("match[]", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fanout")]
    [InlineData("native")]
    public async Task Series_WhenMatchSelectsOneTenant_KeepTheTenantLabel(string strategy)
    {
        var host = Host(strategy);
        var range = $"start={fixture.Start}&end={fixture.Start + 600}";
        var (status, series, _) = await SendAsync(host, host.Request(HttpMethod.Get,
            $"/api/v1/series?match[]={Uri.EscapeDataString("fed_metric{__tenant_id__=\"globex\"}")}&{range}", tenants: "acme|globex"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([s_prodBoth[1]], series.GetProperty("data").EnumerateArray().Select(s => s.GetRawText()));

        var (_, labels, _) = await SendAsync(host, host.Request(HttpMethod.Get,
            $"/api/v1/labels?match[]={Uri.EscapeDataString("fed_metric{__tenant_id__=\"globex\"}")}&{range}", tenants: "acme|globex"));
        Assert.Equal(["__name__", "__tenant_id__", "env", "owner"], labels.GetProperty("data").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Returns401_ForATokenTheJwksDoesNotVouchFor()
    {
        var stranger = TestSigningKey.Rsa().Mint(sub: "alice", issuer: RealIdentityPath.Issuer, audience: RealIdentityPath.Audience);
        var request = fixture.Fanout.Request(HttpMethod.Get, $"/api/v1/query?query=fed_metric&time={fixture.Time}", user: null, tenants: "acme");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + stranger);
        var (status, body, response) = await SendAsync(fixture.Fanout, request);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", body.GetProperty("errorType").GetString());
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task AutoResolvedTenants_AreCachedPerIdentity_UntilThePolicyRevisionChanges()
    {
        var host = fixture.Fanout;
        var cache = Assert.IsType<CachingPolicyEvaluator>(host.Services.GetRequiredService<IPolicyEvaluator>());
        var query = $"/api/v1/query?query=fed_metric&time={fixture.Time}";

        var (_, first, _) = await SendAsync(host, host.Request(HttpMethod.Get, query, user: "carol"));
        Assert.Equal(s_prodBoth, Metrics(first));
        Assert.True(cache.Count > 0);
        var before = MeterReader.Read(MetricNames.TenantCacheHits);
        var (_, second, _) = await SendAsync(host, host.Request(HttpMethod.Get, query, user: "carol"));
        Assert.Equal(s_prodBoth, Metrics(second));
        Assert.True(MeterReader.Read(MetricNames.TenantCacheHits) > before, "the second auto-resolution should be a cache hit");

        // carol loses globex. The cache's time to live is an hour: only the revision change can make this visible.
        var changed = await fixture.Identity.Store.ApplyAsync([PolicyChange.ReplacePolicy(RealIdentityPath.Allow("carol-read", "carol", PolicyActions.Read, ["acme"], "env=\"prod\""))]);
        Assert.True(changed.Succeeded);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string[] now;
        do
        {
            await Task.Delay(200);
            var (_, body, _) = await SendAsync(host, host.Request(HttpMethod.Get, query, user: "carol"));
            now = Metrics(body);
        }
        while (now.Length == 2 && DateTime.UtcNow < deadline);
        Assert.Equal(["""{"__name__":"fed_metric","env":"prod","owner":"acme"}"""], now);
    }
}
