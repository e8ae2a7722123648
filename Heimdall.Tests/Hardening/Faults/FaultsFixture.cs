using System.Globalization;
using System.Text;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Hardening.Faults;

/// <summary>
/// The healthy upstream of every fault test: a real Prometheus (Debian's <c>/usr/bin/prometheus</c>) holding tenant
/// acme's data, <c>fed_metric{env="prod"|"dev", owner="acme"}</c> every 15 s for 10 minutes, backfilled with promtool.
/// </summary>
public sealed class FaultsFixture : IAsyncLifetime
{
    internal FederationPrometheus Acme { get; private set; } = null!;

    /// <summary>An evaluation time inside the backfilled data.</summary>
    public long Time { get; private set; }

    public async Task InitializeAsync()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds() / 60 * 60;
        Time = start + 300;
        var sb = new StringBuilder("# TYPE fed_metric gauge\n");
        for (var t = start; t <= start + 600; t += 15)
        {
            sb.Append(CultureInfo.InvariantCulture, $"fed_metric{{env=\"prod\",owner=\"acme\"}} 1 {t}\n");
            sb.Append(CultureInfo.InvariantCulture, $"fed_metric{{env=\"dev\",owner=\"acme\"}} 2 {t}\n");
        }
        Acme = await FederationPrometheus.StartAsync(sb.Append("# EOF\n").ToString());
    }

    public async Task DisposeAsync() => await Acme.DisposeAsync();
}
