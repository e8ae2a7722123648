using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Heimdall.Tests.Common;

/// <summary>
/// A real Prometheus (Debian's <c>/usr/bin/prometheus</c>) on a free loopback port, with optional data
/// backfilled from OpenMetrics text by <c>promtool tsdb create-blocks-from openmetrics</c>.
/// </summary>
internal sealed class FederationPrometheus : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;

    private FederationPrometheus(Process process, StringBuilder log, Uri url, string directory)
    {
        _process = process;
        _log = log;
        Url = url;
        Directory = directory;
    }

    public Uri Url { get; }

    public string Directory { get; }

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    public static async Task<FederationPrometheus> StartAsync(string? openMetrics = null, string extraConfig = "", params string[] extraArgs)
    {
        var dir = Path.Combine(Path.GetTempPath(), "heimdall-fed-prom-" + Guid.NewGuid().ToString("N")[..12]);
        var data = Path.Combine(dir, "data");
        System.IO.Directory.CreateDirectory(data);
        if (openMetrics is not null)
        {
            var input = Path.Combine(dir, "input.om");
            await File.WriteAllTextAsync(input, openMetrics);
            var backfill = await ProcessRunner.RunAsync("/usr/bin/promtool", ["tsdb", "create-blocks-from", "openmetrics", input, data], workingDirectory: dir);
            if (backfill.ExitCode != 0)
            {
                throw new InvalidOperationException("promtool backfill failed: " + backfill.StdErr + backfill.StdOut);
            }
        }
        var config = Path.Combine(dir, "prometheus.yml");
        var port = FreePort();
        // {{PORT}} in the extra configuration is this server's own port (for self-scraping).
        await File.WriteAllTextAsync(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n" + extraConfig.Replace("{{PORT}}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var psi = new ProcessStartInfo("/usr/bin/prometheus")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var a in (string[])[$"--config.file={config}", $"--storage.tsdb.path={data}", $"--web.listen-address=127.0.0.1:{port}",
                     "--storage.tsdb.retention.time=100y", .. extraArgs])
        {
            psi.ArgumentList.Add(a);
        }
        var log = new StringBuilder();
        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new FederationPrometheus(process, log, new Uri($"http://127.0.0.1:{port}"), dir);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("prometheus exited: " + server.Log);
            }
            try
            {
                using var ready = await http.GetAsync(new Uri(server.Url, "/-/ready"));
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException("prometheus did not become ready: " + server.Log);
            }
            await Task.Delay(200);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
