using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Heimdall.AspNetCore.Bundles;
using Heimdall.Core.Policy;
using Heimdall.Tests.Bundles;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Heimdall.Tests.Policy;

/// <summary>
/// DESIGN §3: the built-in evaluator and <c>opa/heimdall/authz.rego</c> must decide identically. When an
/// <c>opa</c> binary is on PATH this starts <c>opa run --server</c> pulling the bundle from a real Heimdall bundle
/// endpoint (bearer token, long polling) and compares OPA's decisions, read through <c>OpaPolicyEvaluator</c>, with
/// the local evaluator's on thousands of generated policy sets and inputs. Without <c>opa</c> it says so plainly in
/// the test output and checks nothing: <see cref="LocalPolicyEvaluatorTests"/> then compares against a
/// transliteration of the Rego instead.
/// </summary>
public sealed class OpaDifferentialTests(ITestOutputHelper output)
{
    private const string Token = "differential-test-token";

    [Fact]
    public async Task OpaDecidesAsTheLocalEvaluator_OnGeneratedPolicySets()
    {
        var opaBinary = FindOnPath("opa");
        if (opaBinary is null)
        {
            output.WriteLine("opa binary not found on PATH: differential test not run");
            return;
        }
        output.WriteLine("using " + opaBinary);

        await using var bundles = await BundleServerHost.StartAsync(new BundleEndpointOptions { Token = Token });
        var workDir = Directory.CreateTempSubdirectory("heimdall-opa-");
        var port = UnusedPort();
        var config = Path.Combine(workDir.FullName, "config.yaml");
        await File.WriteAllTextAsync(config, $"""
            services:
              heimdall:
                url: {bundles.Url.AbsoluteUri.TrimEnd('/')}
                credentials:
                  bearer:
                    token: {Token}
            bundles:
              heimdall:
                service: heimdall
                resource: /bundles/bundle.tar.gz
                polling:
                  min_delay_seconds: 1
                  max_delay_seconds: 2
                  long_polling_timeout_seconds: 10
            """);
        var psi = new ProcessStartInfo(opaBinary)
        {
            ArgumentList = { "run", "--server", "--addr", $"127.0.0.1:{port}", "--config-file", config, "--log-level", "error" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var opa = Process.Start(psi)!;
        opa.OutputDataReceived += (_, e) => { };
        opa.ErrorDataReceived += (_, e) => { };
        opa.BeginOutputReadLine();
        opa.BeginErrorReadLine();
        try
        {
            var opaUrl = new Uri($"http://127.0.0.1:{port}/");
            using var http = new HttpClient { BaseAddress = opaUrl, Timeout = TimeSpan.FromSeconds(30) };
            var remote = new OpaPolicyEvaluator(new HttpClient(), new OpaOptions { Url = opaUrl, Timeout = TimeSpan.FromSeconds(10) },
                NullLogger<OpaPolicyEvaluator>.Instance);
            var local = new LocalPolicyEvaluator(bundles.Provider);
            var generator = new PolicyGenerator(seed: 1126);
            var compared = 0;
            for (var set = 0; set < 150; set++)
            {
                var snapshot = generator.NextSnapshot(set + 1);
                bundles.Provider.Update(snapshot.Tenants, snapshot.Policies);
                var revision = Core.Bundles.BundleBuilder.Build(bundles.Provider.Current).Revision;
                await WaitForRevisionAsync(http, revision, opa);
                for (var i = 0; i < 20; i++)
                {
                    var request = generator.NextRequest();
                    var expected = await local.EvaluateAsync(request);
                    var actual = await remote.EvaluateAsync(request);
                    Assert.True(actual.Succeeded, actual.Error);
                    foreach (var tenant in request.Tenants)
                    {
                        var want = PolicyFixtures.Show(expected.Decisions[tenant]);
                        var got = PolicyFixtures.Show(actual.Decisions[tenant]);
                        Assert.True(want == got, $"set {set}, request {i}, tenant {tenant}: local {want}, OPA {got}\n" +
                            JsonSerializer.Serialize(new { request, snapshot.Policies }));
                        compared++;
                    }
                }
            }
            output.WriteLine($"{compared} tenant decisions identical between OPA and the local evaluator");
            Assert.True(compared > 3000, $"only {compared} decisions compared");
        }
        finally
        {
            opa.Kill(entireProcessTree: true);
            await opa.WaitForExitAsync();
            workDir.Delete(recursive: true);
        }
    }

    /// <summary>Waits until OPA has activated the bundle with <paramref name="revision"/>.</summary>
    private static async Task WaitForRevisionAsync(HttpClient http, string revision, Process opa)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(opa.HasExited, "opa exited with code " + (opa.HasExited ? opa.ExitCode : 0));
            try
            {
                using var response = await http.GetAsync("v1/data/system/bundles/heimdall/manifest/revision");
                if (response.IsSuccessStatusCode)
                {
                    var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    if (body.TryGetProperty("result", out var result) && result.GetString() == revision)
                    {
                        return;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // OPA is still starting.
            }
            await Task.Delay(50);
        }
        Assert.Fail($"OPA did not activate bundle revision {revision} within 60 s");
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static int UnusedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
