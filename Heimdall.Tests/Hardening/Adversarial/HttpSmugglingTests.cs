using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>
/// HTTP-level attacks on the real <c>heimdall serve</c> process: duplicate parameters, parameters in URL and body,
/// foreign content types, oversized bodies, <c>X-Scope-OrgID</c> smuggling, path tricks and methods. A refusal must
/// be the exact status with Prometheus' JSON error, and nothing may reach the upstream.
/// </summary>
[Collection(AdversarialCollection.Name)]
public sealed class HttpSmugglingTests(AdversarialFixture fixture)
{
    private string Bearer => "Authorization: Bearer " + fixture.Token("alice");

    private string T => fixture.Time.ToString(CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("GET", "/api/v1/query?query=hm_metric&query=hm_secret_total", "")]
    [InlineData("GET", "/prometheus/api/v1/query?query=hm_metric&time=1&time=2", "")]
    [InlineData("POST", "/api/v1/query", "query=hm_metric&query=%7Benv%3D%22dev%22%7D")]
    [InlineData("POST", "/api/v1/query?query=hm_metric", "query=%7Benv%3D%22dev%22%7D")]
    [InlineData("POST", "/api/v1/query?time=1", "query=hm_metric&time=2")]
    [InlineData("POST", "/api/v1/series?match%5B%5D=hm_metric", "match%5B%5D=hm_secret_total")]
    [InlineData("GET", "/api/v1/query?query=hm_metric&QUERY=x", "")]
    [InlineData("GET", "/api/v1/query?query=hm_metric&query%00=x", "")]
    public async Task Refuses400_ForRepeatedOrUnknownParameters(string method, string pathAndQuery, string body)
    {
        var headers = new List<string> { Bearer, "X-Scope-OrgID: acme" };
        if (body.Length > 0)
        {
            headers.Add("Content-Type: application/x-www-form-urlencoded");
        }
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => RawHttp.SendAsync(fixture.Serve.MainUrl, $"{method} {pathAndQuery} HTTP/1.1", headers, body));
        PrometheusAnswer.AssertError((answer.Status, answer.Body), HttpStatusCode.BadRequest, "bad_data");
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData("application/json", "{\"query\":\"hm_metric\"}")]
    [InlineData("text/plain", "query=hm_metric")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\nhm_metric\r\n--x--\r\n")]
    [InlineData("application/x-www-form-urlencoded; charset=iso-8859-1", "query=hm_metric")]
    [InlineData("application/x-www-form-urlencoded, application/json", "query=hm_metric")]
    [InlineData("", "query=hm_metric")]
    public async Task Refuses415_ForOtherContentTypes(string contentType, string body)
    {
        var headers = new List<string> { Bearer, "X-Scope-OrgID: acme" };
        if (contentType.Length > 0)
        {
            headers.Add("Content-Type: " + contentType);
        }
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => RawHttp.SendAsync(fixture.Serve.MainUrl, "POST /api/v1/query HTTP/1.1", headers, body));
        PrometheusAnswer.AssertError((answer.Status, answer.Body), HttpStatusCode.UnsupportedMediaType, "bad_data");
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refuses413_ForOversizedBody(bool chunked)
    {
        var body = "query=" + new string('a', 200_000);
        using var request = fixture.Request(HttpMethod.Post, "/api/v1/query", fixture.Bearer("alice"), "acme");
        request.Content = new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded");
        request.Content.Headers.ContentType!.CharSet = null;
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
            request.Content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(body)));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.SendAsync(request));
        PrometheusAnswer.AssertError(answer, HttpStatusCode.RequestEntityTooLarge, "bad_data");
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData("X-Scope-OrgID: acme", "x-scope-orgid: globex")]
    [InlineData("X-Scope-OrgID: acme", "X-SCOPE-ORGID: acme")]
    [InlineData("X-Scope-OrgID: acme,globex", null)]
    [InlineData("X-Scope-OrgID: acme, initech", null)]
    [InlineData("X-Scope-OrgID: acme|", null)]
    [InlineData("X-Scope-OrgID: acme |globex", null)]
    [InlineData("X-Scope-OrgID: ..", null)]
    [InlineData("X-Scope-OrgID: ", null)]
    [InlineData("X-Scope-OrgID: acme%7Cglobex", null)]
    public async Task Refuses400_ForSmuggledTenantHeaders(string first, string? second)
    {
        string[] headers = second is null ? [Bearer, first] : [Bearer, first, second];
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() =>
            RawHttp.SendAsync(fixture.Serve.MainUrl, "GET /api/v1/query?query=hm_metric HTTP/1.1", headers));
        PrometheusAnswer.AssertError((answer.Status, answer.Body), HttpStatusCode.BadRequest, "bad_data");
        Assert.Empty(forwarded);
    }

    [Fact]
    public async Task Refuses422_ForMoreTenantsThanTheLimit()
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => RawHttp.SendAsync(fixture.Serve.MainUrl,
            "GET /api/v1/query?query=hm_metric HTTP/1.1", [Bearer, "X-Scope-OrgID: acme|globex|initech|acm.*"]));
        PrometheusAnswer.AssertError((answer.Status, answer.Body), HttpStatusCode.UnprocessableEntity, "bad_data");
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData(1, 70_000)]
    [InlineData(60, 1_200)]
    public async Task Refuses431WithJson_ForOversizedHeaders(int count, int size)
    {
        var headers = new List<string> { Bearer, "X-Scope-OrgID: acme" };
        headers.AddRange(Enumerable.Range(0, count).Select(i => $"X-Padding-{i}: " + new string('p', size)));
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => RawHttp.SendAsync(fixture.Serve.MainUrl,
            "GET /api/v1/query?query=hm_metric HTTP/1.1", headers));
        PrometheusAnswer.AssertError((answer.Status, answer.Body), HttpStatusCode.RequestHeaderFieldsTooLarge, "bad_data");
        Assert.Empty(forwarded);
    }

    [Fact]
    public async Task Refuses414WithJson_ForOverlongRequestTarget()
    {
        var query = Uri.EscapeDataString(string.Join(" or ", Enumerable.Range(0, 1_900).Select(i => $"hm_metric{{team=\"{i}\"}}")));
        Assert.InRange(query.Length, 66_000, 130_000);
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => RawHttp.SendAsync(fixture.Serve.MainUrl,
            $"GET /api/v1/query?query={query} HTTP/1.1", [Bearer, "X-Scope-OrgID: acme"]));
        PrometheusAnswer.AssertError((answer.Status, answer.Body), HttpStatusCode.RequestUriTooLong, "bad_data");
        Assert.Empty(forwarded);
    }

    [Fact]
    public async Task Serves_LongGetQueryBelowTheLimit()
    {
        // Kestrel's default 8 KB request line would refuse this; Prometheus answers it, so Heimdall does too.
        var query = Uri.EscapeDataString(string.Join(" or ", Enumerable.Range(0, 500).Select(i => $"hm_metric{{team=\"{i}\"}}")));
        Assert.InRange(query.Length, 16_000, 60_000);
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => RawHttp.SendAsync(fixture.Serve.MainUrl,
            $"GET /api/v1/query?query={query} HTTP/1.1", [Bearer, "X-Scope-OrgID: acme"]));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.NotEmpty(forwarded);
    }

    [Fact]
    public async Task RefusesWithoutForwarding_BeyondKestrelsHardCaps()
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => RawHttp.SendAsync(fixture.Serve.MainUrl,
            "GET /api/v1/query?query=hm_metric HTTP/1.1", [Bearer, "X-Scope-OrgID: acme", "X-Padding: " + new string('p', 300_000)]));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, answer.Status);
        Assert.Empty(forwarded);
        var folded = await fixture.Upstream.WatchAsync(() => RawHttp.SendAsync(fixture.Serve.MainUrl,
            "GET /api/v1/query?query=hm_metric HTTP/1.1", [Bearer, "X-Scope-OrgID: initech", " acme"]));
        Assert.Equal(HttpStatusCode.BadRequest, folded.Result.Status);
        Assert.Empty(folded.Forwarded);
    }

    [Fact]
    public async Task Refuses403_ForTenantHeaderInOtherCase_NamingAnUngrantedTenant()
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() =>
            RawHttp.SendAsync(fixture.Serve.MainUrl, "GET /api/v1/query?query=hm_metric HTTP/1.1", [Bearer, "x-SCOPE-orgid: initech"]));
        PrometheusAnswer.AssertError((answer.Status, answer.Body), HttpStatusCode.Forbidden, "forbidden");
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData("X_Scope_OrgID: globex")]
    [InlineData("X-Scope-OrgID_: globex")]
    [InlineData("X-Forwarded-Scope-OrgID: globex")]
    public async Task ForwardsOnlyTheAuthorizedTenant_WhenLookAlikeHeadersAreSent(string lookAlike)
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => RawHttp.SendAsync(fixture.Serve.MainUrl,
            $"GET /api/v1/query?query=hm_metric&time={T} HTTP/1.1", [Bearer, "X-Scope-OrgID: acme", lookAlike]));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.All(PrometheusAnswer.Parse(answer.Body), s => Assert.Equal("prod", s.Labels["env"]));
        var request = Assert.Single(forwarded);
        Assert.Equal("acme", request.Tenant);
        var name = lookAlike[..lookAlike.IndexOf(':', StringComparison.Ordinal)];
        Assert.DoesNotContain(request.Headers.Keys, k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(request.Headers.Keys, k => string.Equals(k, "Authorization", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ForwardsNeitherCredentialsNorLookAlikeTenantHeaders_ForPush()
    {
        // wanda (write on acme) authenticates with the X-Id-Token header; the push carries smuggling attempts.
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => RawHttp.SendAsync(fixture.Serve.MainUrl, "POST /api/v1/push HTTP/1.1",
            ["X-Id-Token: " + fixture.Token("wanda"), "X-Scope-OrgID: acme", "X_Scope_OrgID: globex", "X-Scope-OrgID_: globex",
             "Cookie: session=secret", "Content-Type: application/x-protobuf", "Content-Encoding: snappy"], "\u0001\u0002"));
        Assert.True(answer.Status == HttpStatusCode.NoContent, answer.Headers + answer.Body);
        var push = Assert.Single(forwarded);
        Assert.Equal("acme", push.Tenant);
        Assert.Equal("application/x-protobuf", push.Headers["Content-Type"].Single());
        foreach (var name in new[] { "X-Id-Token", "X_Scope_OrgID", "X-Scope-OrgID_", "Cookie", "Authorization" })
        {
            Assert.False(push.Headers.ContainsKey(name), $"{name} was forwarded upstream");
        }
    }

    [Theory]
    [InlineData("GET //api/v1/query?query=hm_metric HTTP/1.1", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET /api/v1//query?query=hm_metric HTTP/1.1", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET /api/v1/QUERY?query=hm_metric HTTP/1.1", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET /api/v1/query/?query=hm_metric HTTP/1.1", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET /api/v1/query%3Bx?query=hm_metric HTTP/1.1", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET /prometheus/api/v1/%2e%2e/%2e%2e/api/v1/admin/tsdb/snapshot HTTP/1.1", HttpStatusCode.NotFound, "not_found")]
    [InlineData("POST /api/v1/admin/tsdb/delete_series?match%5B%5D=hm_metric HTTP/1.1", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET /api/v1/query/../status/tsdb HTTP/1.1", HttpStatusCode.Forbidden, "forbidden")]
    [InlineData("GET /api/v1/query/%2e%2e/status/tsdb HTTP/1.1", HttpStatusCode.Forbidden, "forbidden")]
    [InlineData("GET /prometheus/../admin/v1/tenants HTTP/1.1", HttpStatusCode.Forbidden, "forbidden")]
    [InlineData("GET /prometheus/%2e%2e/admin/v1/policies HTTP/1.1", HttpStatusCode.Forbidden, "forbidden")]
    [InlineData("GET /prometheus/api/v1/..%2f..%2fadmin/v1/tenants HTTP/1.1", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET /bundles/bundle.tar.gz HTTP/1.1", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET /prometheus/../bundles/bundle.tar.gz HTTP/1.1", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET /metrics HTTP/1.1", HttpStatusCode.NotFound, "not_found")]
    public async Task RefusesPathTricks_WithoutForwarding(string requestLine, HttpStatusCode status, string errorType)
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() =>
            RawHttp.SendAsync(fixture.Serve.MainUrl, requestLine, [Bearer, "X-Scope-OrgID: acme"]));
        PrometheusAnswer.AssertError((answer.Status, answer.Body), status, errorType);
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData("DELETE", "/api/v1/query")]
    [InlineData("PUT", "/prometheus/api/v1/query_range")]
    [InlineData("PATCH", "/api/v1/series")]
    [InlineData("POST", "/api/v1/label/env/values")]
    [InlineData("POST", "/api/v1/metadata")]
    [InlineData("GET", "/api/v1/push")]
    public async Task Refuses405_ForMethodsNotAllowed(string method, string path)
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() =>
            RawHttp.SendAsync(fixture.Serve.MainUrl, $"{method} {path} HTTP/1.1", [Bearer, "X-Scope-OrgID: acme"]));
        PrometheusAnswer.AssertError((answer.Status, answer.Body), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Contains("\r\nAllow: ", answer.Headers, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData("PATCH", "/admin/v1/policies/alice-acme-prod")]
    [InlineData("DELETE", "/admin/v1/tenants")]
    [InlineData("TRACE", "/admin/v1/tenants")]
    [InlineData("POST", "/admin/v1/tenants/acme")]
    public async Task RefusesOtherMethods_OnAdminPaths_AsAdministrator(string method, string path)
    {
        var before = await fixture.SendAsync(fixture.Request(HttpMethod.Get, "/admin/v1/policies", fixture.Admin()));
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => RawHttp.SendAsync(fixture.Serve.MainUrl, $"{method} {path} HTTP/1.1",
            ["Authorization: " + fixture.Admin(), "Content-Type: application/json"], "{\"id\":\"acme\",\"name\":\"pwned\"}"));
        PrometheusAnswer.AssertError((answer.Status, answer.Body), HttpStatusCode.NotFound, "not_found");
        Assert.Empty(forwarded);
        var after = await fixture.SendAsync(fixture.Request(HttpMethod.Get, "/admin/v1/policies", fixture.Admin()));
        Assert.Equal(before.Body, after.Body);
    }

    [Theory]
    [InlineData("/api/v1/query?query=hm_metric%ZZ")]
    [InlineData("/api/v1/query?query=%C0%AF")]
    [InlineData("/api/v1/query?query=%ED%A0%80")]
    [InlineData("/api/v1/query?query=hm_metric%00")]
    public async Task Refuses400_ForMalformedEncoding(string pathAndQuery)
    {
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() =>
            RawHttp.SendAsync(fixture.Serve.MainUrl, $"GET {pathAndQuery} HTTP/1.1", [Bearer, "X-Scope-OrgID: acme"]));
        PrometheusAnswer.AssertError((answer.Status, answer.Body), HttpStatusCode.BadRequest, "bad_data");
        Assert.Empty(forwarded);
    }
}
