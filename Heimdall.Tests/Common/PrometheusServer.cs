using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Heimdall.Tests.Common;

/// <summary>Options for <see cref="PrometheusServer"/>.</summary>
internal sealed record PrometheusServerOptions
{
    /// <summary>The binary (Debian's <c>prometheus</c> package).</summary>
    public string BinaryPath { get; init; } = "/usr/bin/prometheus";

    /// <summary>An existing TSDB directory to serve (kept on dispose); <see langword="null"/> for a fresh temporary one (deleted).</summary>
    public string? StoragePath { get; init; }

    /// <summary>The YAML configuration; <see langword="null"/> for a minimal one without scrape jobs.</summary>
    public string? ConfigYaml { get; init; }

    /// <summary><c>--query.lookback-delta</c>, e.g. <c>5m</c>.</summary>
    public string? LookbackDelta { get; init; }

    /// <summary><c>--enable-feature</c> values, e.g. <c>promql-at-modifier</c>.</summary>
    public IReadOnlyList<string> EnableFeatures { get; init; } = [];

    /// <summary>Any further command-line flags.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>How long to wait for <c>/-/ready</c>.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);
}

/// <summary>
/// A real Prometheus on 127.0.0.1 with a free port, a temporary config and storage; waits for <c>/-/ready</c>,
/// kills the process and removes temporary files on dispose. Use one per test class (<c>IClassFixture</c>) or collection.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable, IDisposable
{
    private readonly Process _process;
    private readonly string _workDir;
    private readonly bool _ownsStorage;
    private readonly StringBuilder _log = new();

    private PrometheusServer(Process process, string workDir, string storagePath, bool ownsStorage, Uri baseAddress)
    {
        _process = process;
        _workDir = workDir;
        StoragePath = storagePath;
        _ownsStorage = ownsStorage;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary><c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client with <see cref="BaseAddress"/> set.</summary>
    public HttpClient Client { get; }

    /// <summary>The TSDB directory in use.</summary>
    public string StoragePath { get; }

    /// <summary>Everything the server logged so far (for failure messages).</summary>
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

    public static async Task<PrometheusServer> StartAsync(PrometheusServerOptions? options = null)
    {
        options ??= new PrometheusServerOptions();
        var workDir = Directory.CreateTempSubdirectory("heimdall-prometheus-").FullName;
        var configPath = Path.Combine(workDir, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, options.ConfigYaml ?? "global:\n  scrape_interval: 15s\n");
        var ownsStorage = options.StoragePath is null;
        var storage = options.StoragePath ?? Path.Combine(workDir, "data");

        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var psi = new ProcessStartInfo(options.BinaryPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workDir,
            };
            psi.ArgumentList.Add("--config.file=" + configPath);
            psi.ArgumentList.Add("--storage.tsdb.path=" + storage);
            psi.ArgumentList.Add("--web.listen-address=127.0.0.1:" + port);
            psi.ArgumentList.Add("--web.console.templates=" + workDir);
            psi.ArgumentList.Add("--web.console.libraries=" + workDir);
            if (options.LookbackDelta is not null)
            {
                psi.ArgumentList.Add("--query.lookback-delta=" + options.LookbackDelta);
            }
            foreach (var feature in options.EnableFeatures)
            {
                psi.ArgumentList.Add("--enable-feature=" + feature);
            }
            foreach (var arg in options.ExtraArgs)
            {
                psi.ArgumentList.Add(arg);
            }
            var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + options.BinaryPath);
            var server = new PrometheusServer(process, workDir, storage, ownsStorage, new Uri($"http://127.0.0.1:{port}/"));
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (await server.WaitReadyAsync(options.StartTimeout))
            {
                return server;
            }
            var log = server.Log;
            server.Stop(deleteFiles: false);
            if (attempt >= 2 || !log.Contains("address already in use", StringComparison.Ordinal))
            {
                server.DeleteWorkDir();
                throw new InvalidOperationException("Prometheus did not become ready:\n" + log);
            }
        }
    }

    /// <summary>GET or POST helper returning the status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostFormAsync(string path, IReadOnlyDictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await Client.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task<bool> WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                return false;
            }
            try
            {
                using var response = await Client.GetAsync("-/ready");
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Stop(bool deleteFiles)
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        Client.Dispose();
        if (deleteFiles)
        {
            DeleteWorkDir();
        }
    }

    private void DeleteWorkDir()
    {
        try
        {
            Directory.Delete(_workDir, recursive: true);
            if (_ownsStorage && Directory.Exists(StoragePath))
            {
                Directory.Delete(StoragePath, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public void Dispose() => Stop(deleteFiles: true);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
