using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Heimdall.Core.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Heimdall.Benchmarks.Load;

/// <summary>
/// Issue 8's load target, on loopback in one run: the same instant query sent with wrk (Debian package) to
/// (1) Prometheus directly, (2) a bare YARP pass-through, (3) Heimdall with a cached decision and a one-matcher
/// grant. Reports requests/s and p50; Heimdall's added p50 is (3) − (1), its throughput share is (3) / (2).
/// Needs /usr/bin/prometheus and wrk (apt-get install prometheus wrk).
/// Run: dotnet run -c Release --project Heimdall.Benchmarks -- load [seconds=10] [connections=16]
/// Latest (2026-11-26, 2-core VM, quiet, `load 10 2`): 15,654 / 4,152 / 3,582 req/s, p50 0.091 / 0.410 / 0.486 ms:
/// Heimdall adds 0.395 ms at p50 and keeps 86% of YARP's requests/s (at 16 connections: 103%).
/// </summary>
internal static partial class GatewayLoadBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var connections = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        var work = Directory.CreateTempSubdirectory("heimdall-load-");
        var promPort = FreePort();
        await File.WriteAllTextAsync(Path.Combine(work.FullName, "prometheus.yml"),
            $"global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: [\"127.0.0.1:{promPort}\"]\n");
        using var prometheus = Process.Start(new ProcessStartInfo("/usr/bin/prometheus",
            [$"--config.file={work.FullName}/prometheus.yml", $"--storage.tsdb.path={work.FullName}/data", $"--web.listen-address=127.0.0.1:{promPort}"])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        _ = prometheus.StandardError.ReadToEndAsync();
        var prom = new Uri($"http://127.0.0.1:{promPort}");
        await using var yarp = await StartYarpAsync(prom);
        await using var heimdall = await StartHeimdallAsync(prom);
        try
        {
            using var http = new HttpClient();
            var query = "/api/v1/query?query=" + Uri.EscapeDataString("sum by (job) (up)");
            // Wait until Prometheus has scraped itself, so the query returns data.
            for (var i = 0; i < 60 && !(await http.GetStringAsync(new Uri(prom, query))).Contains("\"job\"", StringComparison.Ordinal); i++)
            {
                await Task.Delay(500);
            }
            var targets = new (string Name, string Url)[]
            {
                ("prometheus (direct)", prom + query.TrimStart('/')),
                ("bare YARP pass-through", yarp.Urls.First() + query),
                ("heimdall (cached decision, 1 matcher)", heimdall.Urls.First() + query),
            };
            var results = new List<(string Name, double Rps, double P50Ms, double P99Ms)>();
            foreach (var (name, url) in targets)
            {
                await WrkAsync(url, 2, connections); // warm-up
                var r = await WrkAsync(url, seconds, connections);
                results.Add((name, r.Rps, r.P50Ms, r.P99Ms));
            }
            Console.WriteLine($"| target | requests/s | p50 | p99 |  ({seconds}s, {connections} connections, wrk -t2, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores)");
            Console.WriteLine("|---|---|---|---|");
            foreach (var r in results)
            {
                Console.WriteLine($"| {r.Name} | {r.Rps:F0} | {r.P50Ms:F3} ms | {r.P99Ms:F3} ms |");
            }
            Console.WriteLine($"heimdall added p50: {results[2].P50Ms - results[0].P50Ms:F3} ms (target ≤ 0.5 ms); " +
                $"heimdall / bare YARP requests/s: {results[2].Rps / results[1].Rps:P0} (target ≥ 60%)");
            return 0;
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            work.Delete(recursive: true);
        }
    }

    private static async Task<WebApplication> StartYarpAsync(Uri upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "prom", Match = new RouteMatch { Path = "{**catch-all}" } }],
            [new ClusterConfig { ClusterId = "prom", Destinations = new Dictionary<string, DestinationConfig> { ["p"] = new() { Address = upstream.ToString() } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return app;
    }

    private static async Task<WebApplication> StartHeimdallAsync(Uri upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["mimir:url"] = upstream.ToString(),
            ["static_identity:enabled"] = "true",
            ["static_identity:user"] = "load",
            ["bundle:allow_anonymous"] = "true",
        }).Build();
        var policies = new InMemoryPolicySnapshotProvider();
        policies.Update([new Tenant { Id = "acme", Name = "Acme" }],
        [
            new AccessPolicy
            {
                Name = "load", Effect = PolicyEffects.Allow, Subjects = [new PolicySubject { Type = "user", Id = "load" }],
                Actions = ["read"], Scope = new PolicyScope { Tenants = ["acme"], Resources = ["metrics"] }, Filters = ["job=\"prometheus\""],
            },
        ]);
        builder.Services.AddSingleton<IPolicySnapshotProvider>(policies);
        builder.Services.AddHeimdall(config);
        var app = builder.Build();
        app.MapHeimdall();
        await app.StartAsync();
        return app;
    }

    private static async Task<(double Rps, double P50Ms, double P99Ms)> WrkAsync(string url, int seconds, int connections)
    {
        var psi = new ProcessStartInfo("wrk", ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "-H", "X-Scope-OrgID: acme", url])
        { RedirectStandardOutput = true };
        using var wrk = Process.Start(psi) ?? throw new InvalidOperationException("wrk not found: apt-get install wrk");
        var text = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (text.Contains("Non-2xx", StringComparison.Ordinal) || text.Contains("Socket errors", StringComparison.Ordinal) || !Rps().IsMatch(text))
        {
            throw new InvalidOperationException("errors during the load run:\n" + text);
        }
        return (double.Parse(Rps().Match(text).Groups[1].Value, CultureInfo.InvariantCulture),
            Latency(Percentile("50", text)), Latency(Percentile("99", text)));
    }

    private static string Percentile(string p, string text) => Regex.Match(text, $@"^\s+{p}(?:\.000)?%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value;

    private static double Latency(string value)
    {
        var m = Regex.Match(value, @"^([\d.]+)(us|ms|s)$");
        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => n / 1000, "ms" => n, _ => n * 1000 };
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rps();
}
