using System.Net;
using System.Text.Json;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Host;

/// <summary>The real <c>heimdall serve</c> process: listeners, health, metrics, start-up validation, shutdown.</summary>
public sealed class ServeTests : IDisposable
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("heimdall-serve-");

    private string Config => HeimdallServeProcess.WriteMinimalConfig(_dir.FullName);

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task ServesHealthAndMetrics_OnBundleListenerOnly()
    {
        await using var serve = await HeimdallServeProcess.StartAsync(["--config", Config]);

        var healthz = await s_http.GetAsync(new Uri(serve.BundleUrl, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);

        var readyz = await s_http.GetAsync(new Uri(serve.BundleUrl, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        using (var doc = JsonDocument.Parse(await readyz.Content.ReadAsStringAsync()))
        {
            Assert.Equal("healthy", doc.RootElement.GetProperty("status").GetString());
            Assert.True(doc.RootElement.GetProperty("checks").TryGetProperty("store", out _));
            Assert.True(doc.RootElement.GetProperty("checks").TryGetProperty("bundle", out _));
        }

        var bundle = await s_http.GetAsync(new Uri(serve.BundleUrl, "/bundles/bundle.tar.gz"));
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.NotNull(bundle.Headers.ETag);

        var metrics = await s_http.GetAsync(new Uri(serve.BundleUrl, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        Assert.Contains("target_info{", await metrics.Content.ReadAsStringAsync());

        // The proxy listener does not serve the bundle listener's endpoints, whatever the Host header says.
        foreach (var path in new[] { "/healthz", "/metrics", "/readyz" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(serve.MainUrl, path));
            request.Headers.Host = serve.BundleUrl.Authority;
            var response = await s_http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("error", error.RootElement.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task AnswersUnknownPaths_WithPrometheusJsonError()
    {
        await using var serve = await HeimdallServeProcess.StartAsync(["--config", Config]);
        var response = await s_http.GetAsync(new Uri(serve.MainUrl, "/no/such/path"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not_found", doc.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task WritesJsonLogLines_WithTraceAndSpanIds()
    {
        await using var serve = await HeimdallServeProcess.StartAsync(["--config", Config]);
        var line = serve.Output.Split('\n').First(l => l.Contains("heimdall listening on"));
        using var doc = JsonDocument.Parse(line);
        Assert.Equal("info", doc.RootElement.GetProperty("level").GetString());
        Assert.True(doc.RootElement.TryGetProperty("trace_id", out _));
        Assert.True(doc.RootElement.TryGetProperty("span_id", out _));
    }

    [Fact]
    public async Task ExitsGracefully_OnSigterm()
    {
        var serve = await HeimdallServeProcess.StartAsync(["--config", Config]);
        Assert.Equal(0, await serve.StopAsync());
        Assert.Contains("Application is shutting down", serve.Output);
        await serve.DisposeAsync();
    }

    [Fact]
    public async Task ListsEveryConfigurationError_AndRefusesToStart()
    {
        var config = Path.Combine(_dir.FullName, "bad.yaml");
        await File.WriteAllTextAsync(config, "mimir:\n  url: not-a-url\ndatabase:\n  driver: oracle\n");
        var result = await HeimdallCliRunner.RunAsync(["serve", "--config", config, "--main-addr", "nonsense", "--bundle-addr", "127.0.0.1:99999",
            "--log-level", "loud", "--log-format", "xml"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("mimir.url", result.StdErr);
        Assert.Contains("database.driver", result.StdErr);
        Assert.Contains("identity: configure at least one", result.StdErr);
        Assert.Contains("bundle.token", result.StdErr);
        Assert.Contains("server.main.addr", result.StdErr);
        Assert.Contains("server.bundle.addr", result.StdErr);
        Assert.Contains("server.log_level", result.StdErr);
        Assert.Contains("server.log_format", result.StdErr);
    }
}
