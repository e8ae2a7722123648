using System.Net.Http.Json;
using System.Text.Json;
using Heimdall.Core.Policy;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Http;

namespace Heimdall.Tests.AspNetCore.Gateway;

/// <summary>
/// Two real Prometheus servers, one per tenant (acme, globex), each scraping its own loopback target every second,
/// so both hold metadata (Prometheus keeps metadata of scraped targets only, never of backfilled blocks) and current
/// samples (<c>/federate</c> answers from the last five minutes). A fan-out gateway on the real identity path
/// (<see cref="RealIdentityPath"/>) sits in front of them.
/// </summary>
public sealed class ScrapedTenantsFixture : IAsyncLifetime
{
    /// <summary>
    /// acme: a prod counter and histogram, a dev-only gauge and summary, a prod gauge shared with globex, and a prod
    /// counter typed under its family name <c>hmd_jobs</c> with samples named <c>hmd_jobs_total</c>.
    /// </summary>
    public const string AcmeExposition = """
        # HELP hmd_requests_total Requests.
        # TYPE hmd_requests_total counter
        hmd_requests_total{env="prod"} 1
        hmd_requests_total{env="dev"} 2
        # HELP hmd_latency_seconds Latency.
        # TYPE hmd_latency_seconds histogram
        hmd_latency_seconds_bucket{env="prod",le="1"} 1
        hmd_latency_seconds_bucket{env="prod",le="+Inf"} 1
        hmd_latency_seconds_sum{env="prod"} 0.5
        hmd_latency_seconds_count{env="prod"} 1
        # HELP hmd_dev_only_bytes Dev only.
        # TYPE hmd_dev_only_bytes gauge
        hmd_dev_only_bytes{env="dev"} 7
        # HELP hmd_rpc_seconds RPC time, dev only.
        # TYPE hmd_rpc_seconds summary
        hmd_rpc_seconds{env="dev",quantile="0.5"} 1
        hmd_rpc_seconds_sum{env="dev"} 1
        hmd_rpc_seconds_count{env="dev"} 1
        # HELP hmd_queue_length Queue length.
        # TYPE hmd_queue_length gauge
        hmd_queue_length{env="prod"} 3
        # HELP hmd_jobs Jobs, a counter whose family name lacks _total (as OpenMetrics names it).
        # TYPE hmd_jobs counter
        hmd_jobs_total{env="prod"} 4

        """;

    /// <summary>globex: the counter with another help text, the shared gauge, a dev-only counter.</summary>
    public const string GlobexExposition = """
        # HELP hmd_requests_total Requests served by globex.
        # TYPE hmd_requests_total counter
        hmd_requests_total{env="prod"} 5
        # HELP hmd_queue_length Queue length.
        # TYPE hmd_queue_length gauge
        hmd_queue_length{env="prod"} 4
        # HELP hmd_secret_total Globex dev secret.
        # TYPE hmd_secret_total counter
        hmd_secret_total{env="dev"} 1

        """;

    private LoopbackServer _acmeTarget = null!;
    private LoopbackServer _globexTarget = null!;

    internal FederationPrometheus Acme { get; private set; } = null!;
    internal FederationPrometheus Globex { get; private set; } = null!;
    internal GatewayHost Fanout { get; private set; } = null!;
    internal GatewayHost Native { get; private set; } = null!;
    internal RealIdentityPath Identity { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync(); // xunit does not dispose a fixture whose start failed: leave no Prometheus behind
            throw;
        }
    }

    private async Task StartAsync()
    {
        _acmeTarget = await LoopbackServer.StartAsync(Serve(AcmeExposition));
        _globexTarget = await LoopbackServer.StartAsync(Serve(GlobexExposition));
        var servers = await Task.WhenAll(FederationPrometheus.StartAsync(extraConfig: ScrapeConfig(_acmeTarget.Address)),
            FederationPrometheus.StartAsync(extraConfig: ScrapeConfig(_globexTarget.Address)));
        (Acme, Globex) = (servers[0], servers[1]);
        await Task.WhenAll(WaitForMetadataAsync(Acme, "hmd_rpc_seconds"), WaitForMetadataAsync(Globex, "hmd_secret_total"));
        var prod = "env=\"prod\"";
        Identity = await RealIdentityPath.StartAsync(["acme", "globex"],
        [
            RealIdentityPath.Allow("alice-read", "alice", PolicyActions.Read, ["acme", "globex"], prod),
            RealIdentityPath.Allow("bob-read", "bob", PolicyActions.Read, ["acme"]),
            // carol: the histogram's buckets only, through a __name__ filter.
            RealIdentityPath.Allow("carol-read", "carol", PolicyActions.Read, ["acme"], "__name__=\"hmd_latency_seconds_bucket\""),
            // dave: unrestricted on acme, restricted on globex.
            RealIdentityPath.Allow("dave-acme", "dave", PolicyActions.Read, ["acme"]),
            RealIdentityPath.Allow("dave-globex", "dave", PolicyActions.Read, ["globex"], prod),
        ]);
        Fanout = await Identity.StartHostAsync(new()
        {
            ["mimir:url"] = "http://127.0.0.1:9/prometheus",
            ["mimir:tenant_urls:acme"] = Acme.Url.ToString(),
            ["mimir:tenant_urls:globex"] = Globex.Url.ToString(),
            ["federation:strategy"] = "fanout",
        });
        // Native: both tenants on acme's server (Prometheus ignores X-Scope-OrgID, so each tenant sees acme's data).
        Native = await Identity.StartHostAsync(new()
        {
            ["mimir:url"] = Acme.Url.ToString(),
            ["federation:strategy"] = "native",
        });
    }

    private static RequestDelegate Serve(string exposition) => async context =>
    {
        context.Response.ContentType = "text/plain; version=0.0.4";
        await context.Response.WriteAsync(exposition);
    };

    private static string ScrapeConfig(Uri target) =>
        $"scrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['{target.Authority}']\n";

    /// <summary>Waits until the server's metadata API lists <paramref name="family"/> (the first scrape has happened).</summary>
    private static async Task WaitForMetadataAsync(FederationPrometheus server, string family)
    {
        using var http = new HttpClient { BaseAddress = server.Url };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                var body = await http.GetFromJsonAsync<JsonElement>("/api/v1/metadata");
                if (body.GetProperty("data").TryGetProperty(family, out _))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // a busy machine: ask again until the deadline
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no metadata for {family} after 90 s: {server.Log}");
            }
            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in (IAsyncDisposable?[])[Fanout, Native, Identity, Acme, Globex, _acmeTarget, _globexTarget])
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
