using Heimdall.Benchmarks.Load.Soak;
using Xunit.Abstractions;

namespace Heimdall.Tests.Hardening.Soak;

/// <summary>
/// The benchmark suite's soak (<c>-- soak</c>), for a few seconds: the whole pipeline (JWT against a loopback JWKS,
/// policy files, the built-in evaluator, the rewriter, fan-out to two real Prometheus servers) under 32 concurrent
/// connections, every answer verified. No timing is asserted; memory only against a generous bound.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AnswersEveryRequest_WithoutErrorsOrLeaks_InBoundedMemory()
    {
        await using var env = await SoakEnvironment.StartAsync(connections: 32);
        var report = await SoakDriver.RunAsync(env, TimeSpan.FromSeconds(5), connections: 32, warmUp: TimeSpan.FromSeconds(2));
        output.WriteLine(report.ToString());

        Assert.True(report.Requests > 0, report.ToString());
        Assert.True(report.SeriesChecked > 0, report.ToString());
        Assert.True(report.Errors == 0, report.ToString());
        Assert.True(report.Leaks == 0, report.ToString());
        Assert.True(report.RssEndBytes - report.RssStartBytes < 200L * 1024 * 1024, report.ToString());

        // The checks bite: widen alice's grant behind the driver's back (the policy file is reloaded) and her
        // job="dev" series must be counted as leaks.
        await env.WritePoliciesAsync(aliceFilter: "job=~\"prod|dev\"");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        SoakReport widened;
        do
        {
            widened = await SoakDriver.RunAsync(env, TimeSpan.FromSeconds(1), connections: 4, warmUp: TimeSpan.Zero);
        }
        while (widened.Leaks == 0 && DateTime.UtcNow < deadline);
        output.WriteLine(widened.ToString());
        Assert.True(widened.Leaks > 0, widened.ToString());
    }
}
