using System.Net;
using System.Text.Json;

namespace Heimdall.Tests.AspNetCore.Gateway;

/// <summary>Metadata and <c>/federate</c> through the fan-out gateway, against real Prometheus servers scraping live targets.</summary>
public class GatewayPipelineScrapedDataTests(ScrapedTenantsFixture fixture) : IClassFixture<ScrapedTenantsFixture>
{
    private GatewayHost Host => fixture.Fanout;

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(string path, string user, string tenants)
    {
        using var response = await Host.Client.SendAsync(Host.Request(HttpMethod.Get, path, user: user, tenants: tenants));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static string[] Families(JsonElement body) => [.. body.GetProperty("data").EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task Metadata_RestrictedGrant_ShowsOnlyFamiliesWithGrantedSeries_MergedAcrossTenants()
    {
        var (status, body) = await GetJsonAsync("/api/v1/metadata", "alice", "acme|globex");
        Assert.Equal(HttpStatusCode.OK, status);
        // Granted env="prod": the counter (both tenants), the histogram (series are _bucket/_sum/_count), the shared gauge.
        // Not the dev-only gauge and summary of acme, nor globex's dev-only counter.
        // hmd_jobs: Prometheus 2.42 keys the metadata by the TYPE line's family name, the series are hmd_jobs_total.
        Assert.Equal(["hmd_jobs", "hmd_latency_seconds", "hmd_queue_length", "hmd_requests_total"], Families(body));
        var data = body.GetProperty("data");
        Assert.Equal("histogram", data.GetProperty("hmd_latency_seconds")[0].GetProperty("type").GetString());
        Assert.Equal(1, data.GetProperty("hmd_queue_length").GetArrayLength()); // identical entries of two tenants: once
        Assert.Equal(["Requests served by globex.", "Requests."],
            data.GetProperty("hmd_requests_total").EnumerateArray().Select(e => e.GetProperty("help").GetString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("acme", body.GetRawText(), StringComparison.Ordinal); // no tenant shown
    }

    [Fact]
    public async Task Metadata_NativeStrategy_FiltersEachRestrictedTenant()
    {
        var host = fixture.Native;
        using var response = await host.Client.SendAsync(host.Request(HttpMethod.Get, "/prometheus/api/v1/metadata", user: "dave", tenants: "acme|globex"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        // acme unrestricted: everything; globex (the same server here) under env="prod": nothing more; one entry each.
        Assert.Equal(["hmd_dev_only_bytes", "hmd_jobs", "hmd_latency_seconds", "hmd_queue_length", "hmd_requests_total", "hmd_rpc_seconds"],
            Families(body).Where(f => f.StartsWith("hmd_", StringComparison.Ordinal)));
        Assert.All(body.GetProperty("data").EnumerateObject(), p => Assert.Equal(1, p.Value.GetArrayLength()));

        using var alice = await host.Client.SendAsync(host.Request(HttpMethod.Get, "/prometheus/api/v1/metadata", user: "alice", tenants: "acme|globex"));
        var restricted = JsonDocument.Parse(await alice.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["hmd_jobs", "hmd_latency_seconds", "hmd_queue_length", "hmd_requests_total"], Families(restricted));
    }

    [Fact]
    public async Task Metadata_FamilyIsVisible_WhenOnlyOneOfItsSeriesNamesIsGranted()
    {
        var (status, body) = await GetJsonAsync("/api/v1/metadata", "carol", "acme");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["hmd_latency_seconds"], Families(body));
    }

    [Fact]
    public async Task Metadata_UnrestrictedGrant_IsForwarded()
    {
        var (status, body) = await GetJsonAsync("/api/v1/metadata", "bob", "acme");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["hmd_dev_only_bytes", "hmd_jobs", "hmd_latency_seconds", "hmd_queue_length", "hmd_requests_total", "hmd_rpc_seconds"],
            Families(body).Where(f => f.StartsWith("hmd_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Metadata_MixedGrants_FiltersOnlyTheRestrictedTenant()
    {
        var (status, body) = await GetJsonAsync("/api/v1/metadata", "dave", "acme|globex");
        Assert.Equal(HttpStatusCode.OK, status);
        var families = Families(body);
        Assert.Contains("hmd_dev_only_bytes", families); // acme: unrestricted
        Assert.DoesNotContain("hmd_secret_total", families); // globex: env="prod" only
        Assert.Equal(2, body.GetProperty("data").GetProperty("hmd_requests_total").GetArrayLength());
    }

    [Theory]
    [InlineData("limit=2", new[] { "hmd_jobs", "hmd_latency_seconds" })]
    [InlineData("limit=0", new string[0])]
    [InlineData("limit=-1", new[] { "hmd_jobs", "hmd_latency_seconds", "hmd_queue_length", "hmd_requests_total" })]
    [InlineData("metric=hmd_requests_total", new[] { "hmd_requests_total" })]
    [InlineData("metric=hmd_dev_only_bytes", new string[0])]
    public async Task Metadata_AppliesLimitAndMetric_AfterFiltering(string query, string[] expected)
    {
        var (status, body) = await GetJsonAsync("/api/v1/metadata?" + query, "alice", "acme|globex");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, Families(body));
    }

    [Fact]
    public async Task Metadata_AppliesLimitPerMetric_AfterMerging()
    {
        var (_, body) = await GetJsonAsync("/api/v1/metadata?limit_per_metric=1", "alice", "acme|globex");
        Assert.Equal(1, body.GetProperty("data").GetProperty("hmd_requests_total").GetArrayLength());
    }

    [Theory]
    [InlineData("limit=x", "limit must be a number")]
    [InlineData("limit_per_metric=1.5", "limit_per_metric must be a number")]
    public async Task Metadata_RefusesBadLimits(string query, string message)
    {
        var (status, body) = await GetJsonAsync("/api/v1/metadata?" + query, "alice", "acme|globex");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(message, body.GetProperty("error").GetString());
    }

    private async Task<(HttpStatusCode Status, string ContentType, string[] Lines)> FederateAsync(string match, string user, string tenants)
    {
        using var response = await Host.Client.SendAsync(Host.Request(HttpMethod.Get, "/federate?match[]=" + Uri.EscapeDataString(match), user: user, tenants: tenants));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Series(string line) => line[..line.IndexOf('}', StringComparison.Ordinal)].Split('{')[1];

    [Fact]
    public async Task Federate_AcrossTenants_MergesGrantedSeries_WithTenantLabel()
    {
        var (status, contentType, lines) = await FederateAsync("hmd_requests_total", "alice", "acme|globex");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("text/plain; version=0.0.4", contentType, StringComparison.Ordinal);
        Assert.Equal("# TYPE hmd_requests_total untyped", Assert.Single(lines, l => l.StartsWith('#')));
        var series = lines.Where(l => !l.StartsWith('#')).Select(Series).ToArray();
        Assert.Equal(2, series.Length);
        Assert.StartsWith("__tenant_id__=\"acme\",env=\"prod\",instance=", series[0], StringComparison.Ordinal);
        Assert.StartsWith("__tenant_id__=\"globex\",env=\"prod\",instance=", series[1], StringComparison.Ordinal);
        Assert.EndsWith(" 1", lines[1][..lines[1].LastIndexOf(' ')], StringComparison.Ordinal); // acme's value
    }

    [Fact]
    public async Task Federate_AcrossTenants_ShowsNothingOutsideTheGrant_AndEachFamilyOnce()
    {
        var (status, _, lines) = await FederateAsync("{__name__=~\"hmd_.*\"}", "alice", "acme|globex");
        Assert.Equal(HttpStatusCode.OK, status);
        var types = lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(types.Distinct().Count(), types.Length);
        var samples = lines.Where(l => !l.StartsWith('#')).ToArray();
        Assert.NotEmpty(samples);
        Assert.All(samples, l => Assert.Contains("env=\"prod\"", l, StringComparison.Ordinal));
        Assert.All(samples, l => Assert.Matches("__tenant_id__=\"(acme|globex)\"", l));
        Assert.Contains(samples, l => l.Contains("__tenant_id__=\"globex\"", StringComparison.Ordinal) && l.StartsWith("hmd_queue_length{", StringComparison.Ordinal));
        Assert.DoesNotContain(samples, l => l.StartsWith("hmd_secret_total", StringComparison.Ordinal) || l.StartsWith("hmd_dev_only_bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Federate_TenantMatcher_SelectsOneTenant_WhichKeepsItsLabel()
    {
        var (status, _, lines) = await FederateAsync("hmd_requests_total{__tenant_id__=\"globex\"}", "alice", "acme|globex");
        Assert.Equal(HttpStatusCode.OK, status);
        var series = Assert.Single(lines, l => !l.StartsWith('#'));
        Assert.StartsWith("hmd_requests_total{__tenant_id__=\"globex\",env=\"prod\"", series, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Federate_OneUnrestrictedTenant_IsPassedThrough()
    {
        var (status, _, lines) = await FederateAsync("hmd_requests_total", "bob", "acme");
        Assert.Equal(HttpStatusCode.OK, status);
        var series = lines.Where(l => !l.StartsWith('#')).Select(Series).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, series.Length);
        Assert.StartsWith("env=\"dev\"", series[0], StringComparison.Ordinal);
        Assert.DoesNotContain("__tenant_id__", string.Join('\n', lines), StringComparison.Ordinal);
    }
}
