using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Heimdall.Core.Policy;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Http;

namespace Heimdall.Tests.AspNetCore.Gateway;

/// <summary><c>mimir.compression</c>: plain answers by default; gzip on request, inflated before filtering and merging.</summary>
public class UpstreamCompressionTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Vector = """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up"},"value":[1,"1"]}]}}""";

    [Theory]
    [InlineData(null, false)]
    [InlineData("none", false)]
    [InlineData("gzip", true)]
    public async Task AsksForGzip_OnlyWhenConfigured(string? compression, bool expectGzip)
    {
        var seen = new List<string>();
        await using var upstream = await LoopbackServer.StartAsync(async context =>
        {
            string acceptEncoding = context.Request.Headers.AcceptEncoding.ToString();
            lock (seen)
            {
                seen.Add(acceptEncoding);
            }
            context.Response.ContentType = "application/json";
            if (acceptEncoding.Contains("gzip", StringComparison.Ordinal))
            {
                context.Response.Headers.ContentEncoding = "gzip";
                await using var gzip = new GZipStream(context.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
                await gzip.WriteAsync(Encoding.UTF8.GetBytes(Vector));
            }
            else
            {
                await context.Response.WriteAsync(Vector);
            }
        });
        var settings = new Dictionary<string, string?> { ["mimir:url"] = upstream.Address.ToString() };
        if (compression is not null)
        {
            settings["mimir:compression"] = compression;
        }
        await using var host = await GatewayHost.StartAsync(settings);
        host.Policy.Table[("bob", PolicyActions.Read)] = new() { ["acme"] = TenantDecision.Unrestricted };

        var response = await host.Client.SendAsync(host.Request(HttpMethod.Get, "/api/v1/query?query=up", user: "bob", tenants: "acme"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Vector, await response.Content.ReadAsStringAsync());
        var header = Assert.Single(seen);
        Assert.Equal(expectGzip, header.Contains("gzip", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GzipFromRealPrometheus_IsInflatedBeforeMerging()
    {
        await using var host = await GatewayHost.StartAsync(new()
        {
            ["mimir:url"] = "http://127.0.0.1:9",
            ["mimir:tenant_urls:acme"] = fixture.Acme.Url.ToString(),
            ["mimir:tenant_urls:globex"] = fixture.Globex.Url.ToString(),
            ["mimir:compression"] = "gzip",
            ["federation:strategy"] = "fanout",
        });
        var prod = new TenantDecision { Allow = true, Filters = [["env=\"prod\""]] };
        host.Policy.Table[("alice", PolicyActions.Read)] = new() { ["acme"] = prod, ["globex"] = prod };

        var response = await host.Client.SendAsync(host.Request(HttpMethod.Get, $"/api/v1/query?query=fed_metric&time={fixture.Time}", tenants: "acme|globex"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var owners = body.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(s => (s.GetProperty("metric").GetProperty("__tenant_id__").GetString(), s.GetProperty("metric").GetProperty("env").GetString()))
            .ToList();
        Assert.Equal([("acme", "prod"), ("globex", "prod")], owners);
    }
}
