using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Heimdall.Tests.Common;

/// <summary>
/// Runs the real <c>heimdall serve</c> executable on loopback ports chosen by the OS and reads the bound
/// addresses from its log. Disposing sends SIGTERM and waits for a graceful exit.
/// </summary>
internal sealed partial class HeimdallServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    public Uri MainUrl { get; private set; } = null!;
    public Uri BundleUrl { get; private set; } = null!;
    public string Output { get { lock (_output) { return _output.ToString(); } } }
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    private HeimdallServeProcess(Process process) => _process = process;

    /// <summary>A minimal valid configuration: a SQLite store in <paramref name="directory"/>, the dev identity, an open bundle endpoint.</summary>
    public static string WriteMinimalConfig(string directory, string extraYaml = "")
    {
        var path = Path.Combine(directory, "config.yaml");
        File.WriteAllText(path, $"""
            database:
              driver: sqlite
              dsn: "{Path.Combine(directory, "heimdall.db")}"
            static_identity:
              enabled: true
              user: dev
              groups: [admins]
            admin:
              group: admins
            bundle:
              allow_anonymous: true
            {extraYaml}
            """);
        return path;
    }

    public static async Task<HeimdallServeProcess> StartAsync(IEnumerable<string> extraArgs, IDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var a in (string[])[HeimdallCliRunner.DllPath, "serve", "--main-addr", "127.0.0.1:0", "--bundle-addr", "127.0.0.1:0", .. extraArgs])
        {
            psi.ArgumentList.Add(a);
        }
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }
        var serve = new HeimdallServeProcess(Process.Start(psi)!);
        var ready = new TaskCompletionSource<(Uri, Uri)>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                ready.TrySetException(new InvalidOperationException("heimdall serve exited:\n" + serve.Output));
                return;
            }
            lock (serve._output)
            {
                serve._output.AppendLine(line);
            }
            var m = ListeningLine().Match(line);
            if (m.Success)
            {
                ready.TrySetResult((new Uri(m.Groups[1].Value), new Uri(m.Groups[2].Value)));
            }
        }
        serve._process.OutputDataReceived += (_, e) => OnLine(e.Data);
        serve._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (serve._output) { serve._output.AppendLine(e.Data); } } };
        serve._process.BeginOutputReadLine();
        serve._process.BeginErrorReadLine();
        try
        {
            (serve.MainUrl, serve.BundleUrl) = await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
        return serve;
    }

    /// <summary>Sends SIGTERM (graceful shutdown) and waits for the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"heimdall listening on (http://[^,\s""]+), (http://[^,\s""]+)")]
    private static partial Regex ListeningLine();
}
