using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Host;

/// <summary>
/// Debian's Prometheus scrapes a real <c>heimdall serve</c>'s <c>/metrics</c>; the existing-gateway sample
/// (YARP routes of its own plus AddHeimdall/MapHeimdall) starts and serves both.
/// </summary>
public sealed class ObservabilityAndSampleTests : IDisposable
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("heimdall-obs-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Prometheus_ScrapesHeimdallMetrics()
    {
        // dev may read acme; the upstream port refuses connections, so the request goes through every step up to
        // the upstream call and ends in 502: request, decision and upstream metrics all get an event.
        var policies = Directory.CreateDirectory(Path.Combine(_dir.FullName, "policies"));
        await File.WriteAllTextAsync(Path.Combine(policies.FullName, "dev.json"), """
            [{"name": "dev-reads-acme", "effect": "allow", "subjects": [{"type": "user", "id": "dev"}],
              "actions": ["read"], "scope": {"tenants": ["acme"], "resources": ["metrics"]}, "filters": []}]
            """);
        var config = HeimdallServeProcess.WriteMinimalConfig(_dir.FullName,
            $"mimir:\n  url: http://127.0.0.1:9\npolicies:\n  directory: \"{policies.FullName}\"\n");
        await using var serve = await HeimdallServeProcess.StartAsync(["--config", config]);
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(serve.MainUrl, "/api/v1/query?query=up")))
        {
            request.Headers.Add("X-Scope-OrgID", "acme");
            var failed = await s_http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }

        // Every metric of DESIGN §8 is exported, those without an event yet at 0.
        var exposition = await s_http.GetStringAsync(new Uri(serve.BundleUrl, "/metrics"));
        foreach (var name in (string[])
        [
            "heimdall_requests_total", "heimdall_request_duration_seconds_bucket", "heimdall_opa_evaluations_total",
            "heimdall_opa_evaluation_duration_seconds_bucket", "heimdall_upstream_requests_total",
            "heimdall_upstream_request_duration_seconds_bucket", "heimdall_bundle_rebuilds_total", "heimdall_active_tenants",
            "heimdall_fanout_active_goroutines", "heimdall_fanout_dropped_requests_total", "heimdall_tenant_cache_hits_total",
        ])
        {
            Assert.Matches($@"(?m)^{name}\{{", exposition);
        }
        Assert.Matches(@"(?m)^heimdall_fanout_dropped_requests_total\{[^}]*\} 0", exposition);
        Assert.Matches(@"(?m)^heimdall_upstream_requests_total\{[^}]*code=""error""[^}]*\} 1", exposition);

        await using var prometheus = await PrometheusServer.StartAsync(new PrometheusServerOptions
        {
            ConfigYaml = $"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: heimdall
                    static_configs:
                      - targets: ["{serve.BundleUrl.Authority}"]
                """,
        });
        var deadline = DateTime.UtcNow.AddSeconds(90);
        string? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            var (_, body) = await prometheus.PostFormAsync("/api/v1/query",
                new Dictionary<string, string> { ["query"] = "heimdall_requests_total and on() up{job=\"heimdall\"} == 1" });
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.GetProperty("data").GetProperty("result").GetArrayLength() > 0)
            {
                seen = body;
                break;
            }
            await Task.Delay(500);
        }
        Assert.True(seen is not null, "Prometheus never scraped heimdall_requests_total:\n" + prometheus.Log);
        Assert.Contains("\"job\":\"heimdall\"", seen);
        var (_, tenants) = await prometheus.PostFormAsync("/api/v1/query", new Dictionary<string, string> { ["query"] = "heimdall_active_tenants" });
        using var gauge = JsonDocument.Parse(tenants);
        Assert.Equal("1", gauge.RootElement.GetProperty("data").GetProperty("result")[0].GetProperty("value")[1].GetString());
    }

    [Fact]
    public async Task ExistingGatewaySample_ServesItsOwnRoutesAndHeimdall()
    {
        var bin = RepoPaths.Combine("samples", "existing-gateway", "bin", "Release", "net10.0");
        var dll = Path.Combine(bin, "ExistingGateway.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution (dotnet build Heimdall.slnx -c Release)");
        var port = FreePort();
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _dir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["Heimdall__database__dsn"] = Path.Combine(_dir.FullName, "sample.db") },
        };
        foreach (var arg in (string[])[dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", bin])
        {
            psi.ArgumentList.Add(arg);
        }
        using var sample = System.Diagnostics.Process.Start(psi)!;
        var output = sample.StandardOutput.ReadToEndAsync();
        var errors = sample.StandardError.ReadToEndAsync();
        try
        {
            var hello = await PollAsync(new Uri($"http://127.0.0.1:{port}/hello"), sample);
            Assert.Equal("existing route", await hello.Content.ReadAsStringAsync());

            var query = await s_http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/v1/query?query=up"));
            Assert.Equal(HttpStatusCode.Unauthorized, query.StatusCode);
            Assert.NotNull(query.Headers.WwwAuthenticate.FirstOrDefault());
            using var doc = JsonDocument.Parse(await query.Content.ReadAsStringAsync());
            Assert.Equal("unauthorized", doc.RootElement.GetProperty("errorType").GetString());
        }
        catch (Exception e) when (e is TimeoutException)
        {
            sample.Kill(entireProcessTree: true);
            throw new TimeoutException(e.Message + "\n" + await output + await errors, e);
        }
        finally
        {
            if (!sample.HasExited)
            {
                sample.Kill(entireProcessTree: true);
            }
            await sample.WaitForExitAsync();
        }
    }

    private static async Task<HttpResponseMessage> PollAsync(Uri url, System.Diagnostics.Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (true)
        {
            if (process.HasExited)
            {
                throw new TimeoutException($"the sample exited with {process.ExitCode} before answering");
            }
            try
            {
                var response = await s_http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(url + " never answered 200");
            }
            await Task.Delay(300);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
