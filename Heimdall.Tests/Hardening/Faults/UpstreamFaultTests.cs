using System.Net;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Hardening.Faults;

/// <summary>
/// A broken upstream fails the request with 502 or 504 naming its tenant, and nothing of any tenant's data is
/// answered. Fan-out: acme on the real Prometheus (healthy), globex on a loopback server injecting the fault; asked
/// alone (the answer would be passed on unmerged) and together with acme (the answers would be merged).
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class UpstreamFaultTests(FaultsFixture fixture, UpstreamFaultTests.Gateway shared, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<UpstreamFaultTests.Gateway>
{
    /// <summary>One gateway, JWKS endpoint and faulty globex upstream for every case (the fault is switched per case).</summary>
    public sealed class Gateway : IAsyncLifetime
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private FaultGateway? _gateway;

        internal TestSigningKey Key { get; } = TestSigningKey.Rsa();

        internal JwksServer Jwks { get; private set; } = null!;

        internal FaultyUpstream Globex { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Jwks = await JwksServer.StartAsync(Key);
            Globex = await FaultyUpstream.StartAsync(UpstreamFault.Hang);
        }

        /// <summary>The gateway, started on first use (it needs the collection's Prometheus).</summary>
        internal async Task<FaultGateway> GetAsync(Uri acme)
        {
            await _lock.WaitAsync();
            try
            {
                return _gateway ??= await FaultGateway.StartAsync(FaultGateway.BaseSettings(Jwks, new Uri("http://127.0.0.1:9"), new()
                {
                    ["mimir:tenant_urls:acme"] = acme.ToString(),
                    ["mimir:tenant_urls:globex"] = Globex.Url.ToString(),
                    ["federation:strategy"] = "fanout",
                    ["fanout:timeout"] = "3s",
                }));
            }
            finally
            {
                _lock.Release();
            }
        }

        public async Task DisposeAsync()
        {
            if (_gateway is not null)
            {
                await _gateway.DisposeAsync();
            }
            await Globex.DisposeAsync();
            await Jwks.DisposeAsync();
            _lock.Dispose();
        }
    }

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
        var gateway = await shared.GetAsync(fixture.Acme.Url);
        var globex = shared.Globex;
        globex.Fault = fault;
        var token = FaultGateway.Token(shared.Key);
        var before = globex.Requests;

        // The healthy tenant answers through the same gateway: the failure below is globex's alone.
        (await gateway.SendAsync(gateway.Query(token, "acme", fixture.Time))).AssertOnlyProd();

        var answer = await gateway.SendAsync(gateway.Query(token, tenants, fixture.Time));
        Assert.True(expected == (int)answer.Status, answer.Text);
        var error = answer.Error;
        output.WriteLine($"{(int)answer.Status} {error}");
        Assert.Contains("tenant globex", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("fed_metric", answer.Text, StringComparison.Ordinal);
        Assert.True(globex.Requests > before);
    }
}
