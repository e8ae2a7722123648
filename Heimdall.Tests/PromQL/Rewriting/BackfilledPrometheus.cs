using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.PromQL.Rewriting;

/// <summary>
/// A real Prometheus (<c>/usr/bin/prometheus</c>) serving TSDB blocks back-filled with
/// <c>promtool tsdb create-blocks-from openmetrics</c> from a subset of <see cref="SyntheticMetrics"/>.
/// </summary>
internal sealed class BackfilledPrometheus : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private BackfilledPrometheus(Process process, string directory, Uri baseAddress)
    {
        _process = process;
        _directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<BackfilledPrometheus> StartAsync(string name, Func<IReadOnlyDictionary<string, string>, bool> include)
    {
        var directory = Directory.CreateTempSubdirectory("heimdall-rewriter-" + name + "-").FullName;
        var input = Path.Combine(directory, "data.om");
        SyntheticMetrics.WriteOpenMetrics(input, include);
        var data = Path.Combine(directory, "tsdb");
        var blocks = await ProcessRunner.RunAsync("/usr/bin/promtool", ["tsdb", "create-blocks-from", "openmetrics", "-q", input, data],
            workingDirectory: directory, timeout: TimeSpan.FromMinutes(5));
        if (blocks.ExitCode != 0)
        {
            throw new InvalidOperationException("promtool failed: " + blocks.StdOut + blocks.StdErr);
        }
        File.Delete(input);

        var port = FreePort();
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, "global: {}\n");
        var psi = new ProcessStartInfo("/usr/bin/prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var arg in new[]
        {
            "--config.file=" + config, "--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=36500d",
            "--web.listen-address=127.0.0.1:" + port, "--query.lookback-delta=5m",
        })
        {
            psi.ArgumentList.Add(arg);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start prometheus");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BackfilledPrometheus(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(server.BaseAddress, "-/ready"));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("prometheus did not become ready for " + name);
            }
            await Task.Delay(200);
        }
    }

    private static int FreePort()
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
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
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
}
