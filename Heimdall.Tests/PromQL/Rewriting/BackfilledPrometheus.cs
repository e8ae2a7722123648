using Heimdall.Tests.Common;

namespace Heimdall.Tests.PromQL.Rewriting;

/// <summary>
/// A real Prometheus (<see cref="PrometheusServer"/>) serving TSDB blocks back-filled with
/// <c>promtool tsdb create-blocks-from openmetrics</c> from a subset of <see cref="SyntheticMetrics"/>. Retention is
/// long, because the samples are fixed in the past (a 2 h-aligned hour in November 2023).
/// </summary>
internal sealed class BackfilledPrometheus : IAsyncDisposable
{
    private readonly PrometheusServer _server;
    private readonly string _directory;

    private BackfilledPrometheus(PrometheusServer server, string directory)
    {
        _server = server;
        _directory = directory;
    }

    public Uri BaseAddress => _server.BaseAddress;

    public static async Task<BackfilledPrometheus> StartAsync(string name, Func<IReadOnlyDictionary<string, string>, bool> include)
    {
        var directory = Directory.CreateTempSubdirectory("heimdall-rewriter-" + name + "-").FullName;
        try
        {
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
            var server = await PrometheusServer.StartAsync(new PrometheusServerOptions
            {
                StoragePath = data,
                LookbackDelta = "5m",
                ExtraArgs = ["--storage.tsdb.retention.time=36500d"],
                StartTimeout = TimeSpan.FromMinutes(3),
            });
            return new BackfilledPrometheus(server, directory);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
