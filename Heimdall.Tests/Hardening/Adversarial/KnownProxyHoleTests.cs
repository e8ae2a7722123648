using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>
/// Holes found in other Prometheus access proxies, replayed against the real pipeline: <c>match[]</c> in URL and body,
/// label values without <c>match[]</c>, tenant IDs with regex metacharacters, queries the parser rejects, a
/// <c>__name__</c> filter, two filter groups in one fan-out, multi-tenant pushes, bundle downloads without a token,
/// and two allow policies forming a union.
/// </summary>
[Collection(AdversarialCollection.Name)]
public sealed class KnownProxyHoleTests(AdversarialFixture fixture)
{
    private static string[] Strings(string body)
    {
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
        return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)];
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string user, string pathAndQuery, string? tenants = "acme")
    {
        using var request = fixture.Request(HttpMethod.Get, pathAndQuery, fixture.Bearer(user), tenants);
        return await fixture.SendAsync(request);
    }

    [Theory]
    [InlineData("/api/v1/series")]
    [InlineData("/api/v1/labels")]
    [InlineData("/prometheus/api/v1/series")]
    public async Task Refuses400_ForMatchInBothUrlAndBody(string path)
    {
        using var request = fixture.Request(HttpMethod.Post, path + "?match%5B%5D=" + Uri.EscapeDataString("hm_metric"), fixture.Bearer("alice"), "acme");
        request.Content = new FormUrlEncodedContent([new("match[]", "{env=\"dev\"}")]);
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.SendAsync(request));
        PrometheusAnswer.AssertError(answer, HttpStatusCode.BadRequest, "bad_data");
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData("env", "prod")]
    [InlineData("team", "a|b")]
    [InlineData("__name__", "hm_metric|hm_public_info|hm_secret_total")]
    public async Task ReturnsOnlyGrantedValues_ForLabelValuesWithoutMatch(string label, string expected)
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => GetAsync("alice", $"/api/v1/label/{label}/values?start={fixture.Time - 600}&end={fixture.Time}"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(expected.Split('|'), Strings(answer.Body));
        var request = Assert.Single(forwarded);
        var match = request.Parameters().Where(p => p.Key == "match[]").Select(p => p.Value).ToList();
        Assert.NotEmpty(match);
        Assert.All(match, m => GrantChecks.AssertEverySelectorHas(m, "env=\"prod\""));
    }

    [Fact]
    public async Task ReturnsOnlyGrantedNames_ForLabelsAndSeriesWithoutUsefulMatch()
    {
        var labels = Strings((await GetAsync("alice", $"/api/v1/labels?start={fixture.Time - 600}&end={fixture.Time}")).Body);
        Assert.Equal(["__name__", "env", "job", "team"], labels);
        using var doc = JsonDocument.Parse((await GetAsync("alice", "/api/v1/series?match%5B%5D=" + Uri.EscapeDataString("{__name__=~\".+\"}")
            + $"&start={fixture.Time - 600}&end={fixture.Time}")).Body);
        var series = doc.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(4, series.Count);
        Assert.All(series, s => Assert.Equal("prod", s.GetProperty("env").GetString()));
    }

    [Theory]
    [InlineData("/api/v1/series?match%5B%5D={0}", "[]")]
    [InlineData("/api/v1/labels?match%5B%5D={0}", "[]")]
    [InlineData("/api/v1/label/team/values?match%5B%5D={0}", "[]")]
    [InlineData("/api/v1/query_exemplars?query={0}", "[]")]
    public async Task ReturnsNothing_ForMatchersOnHiddenSeries(string pathFormat, string expected)
    {
        var selector = Uri.EscapeDataString("""{__name__=~"hm_.+",env=~"dev|staging"}""");
        var range = $"&start={fixture.Time - 600}&end={fixture.Time}";
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => GetAsync("alice", string.Format(System.Globalization.CultureInfo.InvariantCulture, pathFormat, selector) + range));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        using var doc = JsonDocument.Parse(answer.Body);
        Assert.Equal(expected, doc.RootElement.GetProperty("data").GetRawText());
        foreach (var request in forwarded)
        {
            foreach (var (_, value) in request.Parameters().Where(p => p.Key is "match[]" or "query"))
            {
                GrantChecks.AssertEverySelectorHas(value, "env=\"prod\"");
            }
        }
    }

    [Fact]
    public async Task ExplainsOnlyTheCallersOwnGrant_WithoutForwarding()
    {
        var path = "/heimdall/v1/explain?query=" + Uri.EscapeDataString("hm_metric");
        var (answers, forwarded) = await fixture.Upstream.WatchAsync(async () =>
        {
            using var anonymous = fixture.Request(HttpMethod.Get, path, null, "acme");
            using var ungranted = fixture.Request(HttpMethod.Get, path, fixture.Bearer("alice"), "initech");
            using var own = fixture.Request(HttpMethod.Get, path, fixture.Bearer("alice"), "acme");
            return (await fixture.SendAsync(anonymous), await fixture.SendAsync(ungranted), await fixture.SendAsync(own));
        });
        PrometheusAnswer.AssertError(answers.Item1, HttpStatusCode.Unauthorized, "unauthorized");
        PrometheusAnswer.AssertError(answers.Item2, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, answers.Item3.Status);
        var strings = new List<string>();
        void Collect(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String: strings.Add(e.GetString()!); break;
                case JsonValueKind.Object: foreach (var p in e.EnumerateObject()) { strings.Add(p.Name); Collect(p.Value); } break;
                case JsonValueKind.Array: foreach (var i in e.EnumerateArray()) { Collect(i); } break;
            }
        }
        using (var doc = JsonDocument.Parse(answers.Item3.Body))
        {
            Collect(doc.RootElement);
        }
        Assert.Contains(strings, v => v.Contains("env=\"prod\"", StringComparison.Ordinal));
        // Nothing of other tenants' or other users' grants.
        Assert.DoesNotContain(strings, v => v.Contains("env=\"dev\"", StringComparison.Ordinal) || v.Contains("hm_public", StringComparison.Ordinal)
            || v.Contains("team=", StringComparison.Ordinal) || v.Contains("globex", StringComparison.Ordinal));
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData("acme", HttpStatusCode.Forbidden)]
    [InlineData("acmX", HttpStatusCode.Forbidden)]
    [InlineData("acm.*|acme", HttpStatusCode.Forbidden)]
    [InlineData("acm.", HttpStatusCode.Forbidden)]
    [InlineData("acm.*", HttpStatusCode.OK)]
    [InlineData(null, HttpStatusCode.OK)]
    public async Task MatchesTenantLiterally_ForTenantWithRegexMetacharacters(string? header, HttpStatusCode status)
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.QueryAsync("erin", "count(hm_metric)", header));
        if (status == HttpStatusCode.OK)
        {
            Assert.Equal(4, Assert.Single(PrometheusAnswer.AssertSeries(answer)).Values.Single());
            Assert.Equal("acm.*", Assert.Single(forwarded).Tenant);
        }
        else
        {
            PrometheusAnswer.AssertError(answer, status, "forbidden");
            Assert.Empty(forwarded);
        }
    }

    [Theory]
    [InlineData("hm_metric{env=\"prod\"})")]
    [InlineData("hm_metric{env=\"prod\"")]
    [InlineData("sum(hm_metric) by")]
    [InlineData("hm_metric{env=~\"(\"}")]
    [InlineData("rate(hm_metric)")]
    [InlineData("hm_metric @ 1 @ 2")]
    [InlineData("hm_metric offset 1m offset 1m")]
    [InlineData("{env=~\".*\"}")]
    [InlineData("hm_metric{env=\"prod\"} # \n )")]
    [InlineData("hm_metric{env=\"\\xff\"}")]
    [InlineData("hm_metric{ # }\n env=\"dev\"}")]
    [InlineData("hm_metric{env=~\"a{1001}\"}")]
    [InlineData("")]
    public async Task Refuses400WithPosition_ForQueryTheParserRejects(string query)
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.QueryAsync("alice", query));
        var message = PrometheusAnswer.AssertError(answer, HttpStatusCode.BadRequest, "bad_data");
        if (query.Length > 0)
        {
            Assert.Matches(@"\b\d+:\d+\b", message);
        }
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData("{__name__=~\".+\"}", "hm_public_info", 2)]
    [InlineData("hm_secret_total", "", 0)]
    [InlineData("{__name__=\"hm_secret_total\"} or hm_public_info", "hm_public_info", 2)]
    [InlineData("label_replace(hm_secret_total, \"__name__\", \"hm_public_x\", \"\", \"\")", "", 0)]
    [InlineData("{__name__=~\"hm_(secret|public)_.*\", env=\"prod\"}", "hm_public_info", 1)]
    public async Task ReturnsOnlyGrantedNames_ForNameFilterPolicy(string query, string name, int count)
    {
        var series = PrometheusAnswer.AssertSeries(await fixture.QueryAsync("dave", query));
        Assert.Equal(count, series.Count);
        Assert.All(series, s => Assert.Equal(name, s.Labels["__name__"]));
        Assert.Equal(["hm_public_info"], Strings((await GetAsync("dave", $"/api/v1/label/__name__/values?start={fixture.Time - 600}&end={fixture.Time}")).Body));
    }

    [Fact]
    public async Task KeepsEachTenantsOwnMatchers_ForTwoFilterGroupsInOneFanout()
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.QueryAsync("alice", "hm_metric", "acme|globex"));
        var series = PrometheusAnswer.AssertSeries(answer);
        Assert.Equal(
            ["{__name__=\"hm_metric\",__tenant_id__=\"acme\",env=\"prod\",job=\"api\",team=\"a\"} 1",
             "{__name__=\"hm_metric\",__tenant_id__=\"acme\",env=\"prod\",job=\"api\",team=\"b\"} 2",
             "{__name__=\"hm_metric\",__tenant_id__=\"globex\",env=\"dev\",job=\"api\",team=\"a\"} 4"],
            series.Select(s => s.ToString()));
        Assert.Equal(2, forwarded.Count);
        var byTenant = forwarded.ToDictionary(r => r.Tenant!, r => r.Parameters().Single(p => p.Key == "query").Value);
        GrantChecks.AssertEverySelectorHas(byTenant["acme"], "env=\"prod\"");
        GrantChecks.AssertEverySelectorHas(byTenant["globex"], "env=\"dev\"");
        Assert.DoesNotContain("dev", byTenant["acme"], StringComparison.Ordinal);
        Assert.DoesNotContain("prod", byTenant["globex"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hm_metric{__tenant_id__=\"globex\",env=\"prod\"}", "")]
    [InlineData("hm_metric{__tenant_id__=\"globex\"}", "globex:dev:4")]
    [InlineData("hm_metric{__tenant_id__=~\"acme|globex\",team=\"a\"}", "acme:prod:1 globex:dev:4")]
    [InlineData("hm_metric{__tenant_id__!=\"acme\",env=~\"prod|dev\"}", "globex:dev:4")]
    [InlineData("label_replace(hm_metric{__tenant_id__=\"acme\",env=\"dev\"}, \"__tenant_id__\", \"globex\", \"\", \"\")", "")]
    public async Task KeepsEachTenantsGrant_ForTenantSelectingMatchers(string query, string expected)
    {
        var series = PrometheusAnswer.AssertSeries(await fixture.QueryAsync("alice", query, "acme|globex"));
        var actual = series.Where(s => s.Labels.ContainsKey("env")).Select(s => $"{s.Labels["__tenant_id__"]}:{s.Labels["env"]}:{s.Values.Single()}");
        Assert.Equal(expected, string.Join(" ", actual.Order(StringComparer.Ordinal)));
        Assert.All(series, s => Assert.True(s.Values.Single() < AdversarialFixture.Forbidden, s.ToString()));
    }

    [Theory]
    [InlineData("/federate")]
    [InlineData("/prometheus/federate")]
    public async Task ForwardsOnlyRestrictedMatchers_ForFederate(string path)
    {
        var query = "?match%5B%5D=" + Uri.EscapeDataString("{__name__=~\".+\"}") + "&match%5B%5D=" + Uri.EscapeDataString("hm_metric{env=\"dev\"}");
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => GetAsync("alice", path + query));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        var request = Assert.Single(forwarded);
        var match = request.Parameters().Where(p => p.Key == "match[]").Select(p => p.Value).ToList();
        Assert.NotEmpty(match);
        Assert.All(match, m => GrantChecks.AssertEverySelectorHas(m, "env=\"prod\""));
        Assert.DoesNotContain("env=\"dev\"", answer.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/status/tsdb")]
    [InlineData("/api/v1/cardinality/label_names")]
    [InlineData("/prometheus/api/v1/cardinality/label_values?label_names%5B%5D=env")]
    public async Task Refuses403_ForUnrestrictedOnlyEndpoints_UnderARestrictedGrant(string pathAndQuery)
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => GetAsync("alice", pathAndQuery));
        PrometheusAnswer.AssertError(answer, HttpStatusCode.Forbidden, "forbidden");
        Assert.Empty(forwarded);
        // An unrestricted grant (erin on acm.*) reaches the upstream.
        var (allowed, sent) = await fixture.Upstream.WatchAsync(() => GetAsync("erin", "/api/v1/status/tsdb", "acm.*"));
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal("acm.*", Assert.Single(sent).Tenant);
    }

    [Theory]
    [InlineData("acme|globex", HttpStatusCode.BadRequest)]
    [InlineData("acme|acme|globex", HttpStatusCode.BadRequest)]
    [InlineData(null, HttpStatusCode.BadRequest)]
    [InlineData("initech", HttpStatusCode.Forbidden)]
    [InlineData("acme", HttpStatusCode.NoContent)]
    [InlineData("acme|acme", HttpStatusCode.NoContent)]
    public async Task PushesToExactlyOneTenant(string? tenants, HttpStatusCode status)
    {
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(AdversarialFixture.WriterUser + ":" + AdversarialFixture.WriterPassword)));
        using var request = fixture.Request(HttpMethod.Post, "/api/v1/push", basic, tenants);
        request.Content = new ByteArrayContent([0xff, 0x00, 0x13, 0x37]);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        request.Content.Headers.ContentEncoding.Add("snappy");
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.SendAsync(request));
        Assert.True(answer.Status == status, $"{(int)answer.Status}: {answer.Body}");
        if (status == HttpStatusCode.NoContent)
        {
            var push = Assert.Single(forwarded);
            Assert.Equal("/api/v1/push", push.Path);
            Assert.Equal("acme", push.Tenant);
            Assert.False(push.Headers.ContainsKey("Authorization"));
        }
        else
        {
            PrometheusAnswer.AssertError(answer, status, status == HttpStatusCode.Forbidden ? "forbidden" : "bad_data");
            Assert.Empty(forwarded);
        }
    }

    [Fact]
    public async Task Refuses403_ForPushByReadOnlyIdentity()
    {
        using var request = fixture.Request(HttpMethod.Post, "/api/v1/push", fixture.Bearer("alice"), "acme");
        request.Content = new ByteArrayContent([1]);
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.SendAsync(request));
        PrometheusAnswer.AssertError(answer, HttpStatusCode.Forbidden, "forbidden");
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer wrong-token", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer " + AdversarialFixture.BundleToken + "x", HttpStatusCode.Unauthorized)]
    [InlineData("Basic " + "YnVuZGxlOmJ1bmRsZS10b2tlbi03ZjNhOWMxZQ==", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer " + AdversarialFixture.BundleToken, HttpStatusCode.OK)]
    public async Task RequiresTheBundleToken_ForBundleDownload(string? authorization, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Serve.BundleUrl, "/bundles/bundle.tar.gz"));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        using var response = await fixture.Client.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (status == HttpStatusCode.OK)
        {
            Assert.Equal([0x1f, 0x8b], body[..2]);
        }
        else
        {
            PrometheusAnswer.AssertError((response.StatusCode, Encoding.UTF8.GetString(body)), status, "unauthorized");
            Assert.DoesNotContain("alice-acme-prod", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("hm_metric", """hm_metric{env="prod",team="a"} or hm_metric{env="dev",team="b"}""")]
    [InlineData("sum(hm_metric)", """sum(hm_metric{env="prod",team="a"} or hm_metric{env="dev",team="b"})""")]
    [InlineData("count by (env) (hm_metric)", """count by (env) (hm_metric{env="prod",team="a"} or hm_metric{env="dev",team="b"})""")]
    [InlineData("""hm_metric{team="a"}""", """hm_metric{env="prod",team="a"}""")]
    [InlineData("""rate(hm_metric[5m])""", """rate(hm_metric{env="prod",team="a"}[5m]) or rate(hm_metric{env="dev",team="b"}[5m])""")]
    public async Task ReturnsTheUnion_ForTwoAllowPolicies(string query, string reference)
    {
        var series = PrometheusAnswer.AssertSeries(await fixture.QueryAsync("carol", query));
        var expected = PrometheusAnswer.Parse(await fixture.ReferenceAsync(fixture.Acme, reference));
        Assert.NotEmpty(expected);
        Assert.Equal(PrometheusAnswer.Canonical(expected), PrometheusAnswer.Canonical(series));
    }
}
