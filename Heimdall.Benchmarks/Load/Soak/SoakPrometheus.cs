using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Heimdall.Benchmarks.Load.Soak;

/// <summary>
/// A real Prometheus (Debian's <c>/usr/bin/prometheus</c>) on a free loopback port scraping itself every second as two
/// jobs, <c>prod</c> and <c>dev</c>: the same live series under two label values, so a grant on <c>job</c> has
/// something to hide. Killed and its directory removed on dispose.
/// </summary>
internal sealed class SoakPrometheus : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private SoakPrometheus(Process process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<SoakPrometheus> StartAsync(CancellationToken cancellationToken = default)
    {
        var directory = Directory.CreateTempSubdirectory("heimdall-soak-prom-").FullName;
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: prod
                static_configs:
                  - targets: ["127.0.0.1:{port}"]
              - job_name: dev
                static_configs:
                  - targets: ["127.0.0.1:{port}"]
            """, cancellationToken);
        var psi = new ProcessStartInfo("/usr/bin/prometheus")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var a in (string[])[$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}"])
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start /usr/bin/prometheus (apt-get install prometheus)");
        var server = new SoakPrometheus(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        process.ErrorDataReceived += (_, e) => { lock (server._log) { server._log.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (server._log) { server._log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await server.WaitForDataAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Waits until both jobs have been scraped a few times (so <c>rate()</c> over 30 s has samples).</summary>
    private async Task WaitForDataAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var query = new Uri(Url, "api/v1/query?query=" + Uri.EscapeDataString("count(count_over_time(up[1m]) >= 3)"));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("prometheus exited: " + Log);
            }
            try
            {
                var body = await http.GetStringAsync(query, cancellationToken);
                if (body.Contains("\"2\"]", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("prometheus has no data for both jobs: " + Log);
            }
            await Task.Delay(250, cancellationToken);
        }
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
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
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
