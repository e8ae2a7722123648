using System.Net;
using System.Text.Json;
using Heimdall.Core.Policy;
using Heimdall.Tests.AspNetCore.Gateway;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Http;

namespace Heimdall.Tests.AspNetCore.RemoteWrite;

public class RemoteWriteForwarderTests
{
    private static readonly TenantDecision s_prod = new() { Allow = true, Filters = [["env=\"prod\""]] };

    [Fact]
    public async Task ForwardsPushes_FromARealPrometheus_ToARealReceiver()
    {
        await using var receiver = await FederationPrometheus.StartAsync(extraArgs: "--web.enable-remote-write-receiver");
        await using var gateway = await GatewayHost.StartAsync(new()
        {
            ["mimir:url"] = receiver.Url.ToString(),
            ["mimir:remote_write_url"] = new Uri(receiver.Url, "/api/v1/write").ToString(),
        });
        gateway.Policy.Table[("alice", PolicyActions.Write)] = new() { ["acme"] = s_prod };
        await using var client = await FederationPrometheus.StartAsync(extraConfig: $$"""
            scrape_configs:
              - job_name: rw-client
                static_configs: [{targets: ['127.0.0.1:{{"{{PORT}}"}}']}]
            remote_write:
              - url: {{new Uri(gateway.Url, "/api/v1/push")}}
                authorization: {credentials: alice}
                headers: {X-Scope-OrgID: acme}
                queue_config: {batch_send_deadline: 1s}
            """);

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string body;
        do
        {
            await Task.Delay(500);
            body = await http.GetStringAsync(new Uri(receiver.Url, "/api/v1/query?query=" + Uri.EscapeDataString("up{job=\"rw-client\"}")));
        }
        while (JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("result").GetArrayLength() == 0 && DateTime.UtcNow < deadline);
        Assert.Equal(1, JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("result").GetArrayLength());
        Assert.DoesNotContain("non-recoverable error", client.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamsBodyAndHeadersUntouched_ForOneTenant_WithUpstreamCredentials()
    {
        var received = new TaskCompletionSource<(byte[] Body, IHeaderDictionary Headers)>();
        await using var upstream = await LoopbackServer.StartAsync(async ctx =>
        {
            using var copy = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(copy);
            received.TrySetResult((copy.ToArray(), new HeaderDictionary(ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value))));
            ctx.Response.StatusCode = 204;
            ctx.Response.Headers["X-Prometheus-Remote-Write-Samples-Written"] = "42";
        });
        await using var gateway = await GatewayHost.StartAsync(new()
        {
            ["mimir:url"] = new Uri(upstream.Address, "/prometheus").ToString(),
            ["mimir:auth:type"] = "bearer",
            ["mimir:auth:token"] = "upstream-secret",
        });
        gateway.Policy.Table[("alice", PolicyActions.Write)] = new() { ["acme"] = s_prod };

        var payload = new byte[256 * 1024];
        Random.Shared.NextBytes(payload);
        var content = new ByteArrayContent(payload);
        // Raw header values, exactly as a remote-write 2.0 client sends them.
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request");
        content.Headers.TryAddWithoutValidation("Content-Encoding", "snappy");
        var request = gateway.Request(HttpMethod.Post, "/api/v1/push", tenants: "acme", content: content);
        request.Headers.Add("X-Prometheus-Remote-Write-Version", "2.0.0");
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("42", response.Headers.GetValues("X-Prometheus-Remote-Write-Samples-Written").Single());
        var (body, headers) = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(payload, body);
        Assert.Equal("application/x-protobuf;proto=io.prometheus.write.v2.Request", headers.ContentType.ToString());
        Assert.Equal("snappy", headers.ContentEncoding.ToString());
        Assert.Equal("2.0.0", headers["X-Prometheus-Remote-Write-Version"].ToString());
        Assert.Equal("acme", headers["X-Scope-OrgID"].ToString());
        Assert.Equal("Bearer upstream-secret", headers.Authorization.ToString());
    }

    [Theory]
    [InlineData("acme|globex", 400, "exactly one tenant")]
    [InlineData("globex", 403, "globex")]
    [InlineData(null, 400, "exactly one tenant")]
    public async Task RefusesPush_WithoutExactlyOneWritableTenant(string? tenants, int expected, string message)
    {
        var calls = 0;
        await using var upstream = await LoopbackServer.StartAsync(ctx =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });
        await using var gateway = await GatewayHost.StartAsync(new() { ["mimir:url"] = upstream.Address.ToString() });
        gateway.Policy.Table[("alice", PolicyActions.Write)] = new() { ["acme"] = s_prod, ["initech"] = s_prod };
        // alice may read globex, but not write it.
        gateway.Policy.Table[("alice", PolicyActions.Read)] = new() { ["globex"] = TenantDecision.Unrestricted };

        using var response = await gateway.Client.SendAsync(gateway.Request(HttpMethod.Post, "/api/v1/push", tenants: tenants, content: new ByteArrayContent([1, 2, 3])));
        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Contains(message, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task Answers502InPrometheusFormat_WhenReceiverUnreachable()
    {
        await using var gateway = await GatewayHost.StartAsync(new() { ["mimir:url"] = $"http://127.0.0.1:{FederationPrometheus.FreePort()}" });
        gateway.Policy.Table[("alice", PolicyActions.Write)] = new() { ["acme"] = s_prod };
        using var response = await gateway.Client.SendAsync(gateway.Request(HttpMethod.Post, "/api/v1/push", tenants: "acme", content: new ByteArrayContent([1])));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("tenant acme", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }
}
