using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Heimdall.Tests.Common;
using Xunit.Abstractions;

namespace Heimdall.Tests.Host;

/// <summary>
/// Scale-out: two real <c>heimdall serve</c> replicas on one PostgreSQL database. A change made through either
/// replica's admin API, or through the CLI, reaches both (LISTEN/NOTIFY), and both serve byte-identical bundles.
/// </summary>
public sealed class ReplicaTests(ITestOutputHelper output) : IDisposable
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("heimdall-replicas-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task TwoReplicasOnOnePostgres_SeeEveryChange_AndServeIdenticalBundles()
    {
        await using var db = await TestDatabase.CreateAsync("postgres");
        var config = HeimdallServeProcess.WriteMinimalConfig(_dir.FullName);
        // Both replicas (and the CLI) share one PostgreSQL database instead of the minimal config's SQLite file.
        var env = new Dictionary<string, string> { ["HEIMDALL_DATABASE_DRIVER"] = "postgres", ["HEIMDALL_DATABASE_DSN"] = db.Options.Dsn };
        await using var a = await HeimdallServeProcess.StartAsync(["--config", config], env);
        await using var b = await HeimdallServeProcess.StartAsync(["--config", config], env);
        var (etag, _) = await SameBundleAsync(a, b, previous: null);

        // Through replica A's admin API (the dev identity is in the admin group).
        var created = await s_http.PostAsJsonAsync(new Uri(a.MainUrl, "/admin/v1/tenants"), new { id = "acme", name = "Acme" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        (etag, var afterAdmin) = await SameBundleAsync(a, b, previous: etag);
        Assert.Contains("acme", System.Text.Encoding.UTF8.GetString(Gunzip(afterAdmin)));

        // Through the CLI, writing to the database directly.
        var cli = await HeimdallCliRunner.RunAsync(["tenant", "create", "globex", "Globex", "--config", config], environment: env);
        Assert.True(cli.ExitCode == 0, cli.StdOut + cli.StdErr);
        var (_, afterCli) = await SameBundleAsync(a, b, previous: etag);
        Assert.Contains("globex", System.Text.Encoding.UTF8.GetString(Gunzip(afterCli)));
    }

    /// <summary>Waits until both replicas serve a bundle whose ETag differs from <paramref name="previous"/>, then compares the bytes.</summary>
    private async Task<(string ETag, byte[] Bytes)> SameBundleAsync(HeimdallServeProcess a, HeimdallServeProcess b, string? previous)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (etagA, bytesA) = await BundleAsync(a);
            var (etagB, bytesB) = await BundleAsync(b);
            if (etagA != previous && etagA == etagB)
            {
                output.WriteLine($"both replicas serve {etagA} after {clock.ElapsedMilliseconds} ms");
                Assert.Equal(bytesA, bytesB);
                return (etagA, bytesA);
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"replicas did not converge: {etagA} / {etagB} (previous {previous})");
            await Task.Delay(100);
        }
    }

    private static async Task<(string ETag, byte[] Bytes)> BundleAsync(HeimdallServeProcess replica)
    {
        using var response = await s_http.GetAsync(new Uri(replica.BundleUrl, "/bundles/bundle.tar.gz"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Headers.ETag!.Tag, await response.Content.ReadAsByteArrayAsync());
    }

    private static byte[] Gunzip(byte[] gz)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(gz), System.IO.Compression.CompressionMode.Decompress);
        using var outStream = new MemoryStream();
        input.CopyTo(outStream);
        return outStream.ToArray();
    }
}
