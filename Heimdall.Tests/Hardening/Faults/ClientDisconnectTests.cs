using Heimdall.Tests.Common;

namespace Heimdall.Tests.Hardening.Faults;

/// <summary>
/// A client that goes away in the middle of a fan-out cancels every upstream request it caused: two slow loopback
/// upstreams (acme, globex) hold their requests until the gateway cancels them.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class ClientDisconnectTests
{
    private static readonly TimeSpan s_generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CancelsEveryUpstreamRequest_WhenClientDisconnectsMidFanout()
    {
        var key = TestSigningKey.Rsa();
        await using var jwks = await JwksServer.StartAsync(key);
        await using var acme = await FaultyUpstream.StartAsync(UpstreamFault.Hang);
        await using var globex = await FaultyUpstream.StartAsync(UpstreamFault.Hang);
        await using var gateway = await FaultGateway.StartAsync(FaultGateway.BaseSettings(jwks, new Uri("http://127.0.0.1:9"), new()
        {
            ["mimir:tenant_urls:acme"] = acme.Url.ToString(),
            ["mimir:tenant_urls:globex"] = globex.Url.ToString(),
            ["federation:strategy"] = "fanout",
            ["fanout:timeout"] = "5m",
        }));

        using var client = new CancellationTokenSource();
        var request = gateway.Client.SendAsync(gateway.Query(FaultGateway.Token(key), "acme|globex", DateTimeOffset.UtcNow.ToUnixTimeSeconds()), client.Token);
        await Task.WhenAll(acme.Received, globex.Received).WaitAsync(s_generous);
        Assert.False(acme.Aborted.IsCompleted || globex.Aborted.IsCompleted);

        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        // Both upstream requests observe RequestAborted long before the gateway's own 5-minute timeout.
        await Task.WhenAll(acme.Aborted, globex.Aborted).WaitAsync(s_generous);
        Assert.Equal(1, acme.Requests);
        Assert.Equal(1, globex.Requests);
    }
}
