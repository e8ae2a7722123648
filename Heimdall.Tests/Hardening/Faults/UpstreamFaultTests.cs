using System.Net;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Hardening.Faults;

/// <summary>
/// A broken upstream fails the request with 502 or 504 naming its tenant, and nothing of any tenant's data is
/// answered. Fan-out: acme on the real Prometheus (healthy), globex on a loopback server injecting the fault; asked
/// alone (the answer would be passed on unmerged) and together with acme (the answers would be merged).
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class UpstreamFaultTests(FaultsFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<UpstreamFault, string, int, string> Cases
    {
        get
        {
            var data = new TheoryData<UpstreamFault, string, int, string>();
            foreach (var tenants in (string[])["globex", "acme|globex"])
            {
                data.Add(UpstreamFault.Hang, tenants, 504, "did not answer within 3s");
                data.Add(UpstreamFault.ServerError, tenants, 502, "upstream answered 500: query failed: out of memory");
                data.Add(UpstreamFault.Unavailable, tenants, 502, "upstream answered 503");
                // A connection cut mid-body: "response broken off", or "unreachable" when the reset overtook the headers.
                data.Add(UpstreamFault.TruncatedContentLength, tenants, 502, "upstream");
                data.Add(UpstreamFault.TruncatedChunked, tenants, 502, "upstream");
                data.Add(UpstreamFault.InvalidJson, tenants, 502, "JSON");
                data.Add(UpstreamFault.IncompleteJson, tenants, 502, "");
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Fails_NamingTheTenant_WhenUpstreamBreaks(UpstreamFault fault, string tenants, int expected, string message)
    {
        var key = TestSigningKey.Rsa();
        await using var jwks = await JwksServer.StartAsync(key);
        await using var globex = await FaultyUpstream.StartAsync(fault);
        await using var gateway = await FaultGateway.StartAsync(FaultGateway.BaseSettings(jwks, new Uri("http://127.0.0.1:9"), new()
        {
            ["mimir:tenant_urls:acme"] = fixture.Acme.Url.ToString(),
            ["mimir:tenant_urls:globex"] = globex.Url.ToString(),
            ["federation:strategy"] = "fanout",
            ["fanout:timeout"] = "3s",
        }));
        var token = FaultGateway.Token(key);

        // The healthy tenant answers through the same gateway: the failure below is globex's alone.
        (await gateway.SendAsync(gateway.Query(token, "acme", fixture.Time))).AssertOnlyProd();

        var answer = await gateway.SendAsync(gateway.Query(token, tenants, fixture.Time));
        Assert.True(expected == (int)answer.Status, answer.Text);
        var error = answer.Error;
        output.WriteLine($"{(int)answer.Status} {error}");
        Assert.Contains("tenant globex", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("fed_metric", answer.Text, StringComparison.Ordinal);
        Assert.True(globex.Requests >= 1);
    }
}
