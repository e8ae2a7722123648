using System.Diagnostics.Metrics;
using Heimdall.Core.Diagnostics;

namespace Heimdall.Core.Identity;

/// <summary>The identity instruments (bounded tags only: method and result, never a user).</summary>
internal static class IdentityMetrics
{
    public static readonly Counter<long> Authentications =
        HeimdallDiagnostics.Meter.CreateCounter<long>(MetricNames.Authentications, description: "Authentications by method and result.");

    public static readonly Counter<long> JwksLoads =
        HeimdallDiagnostics.Meter.CreateCounter<long>(MetricNames.JwksLoads, description: "JWKS loads by result.");

    public static void Authenticated(string method, bool success)
    {
        if (Authentications.Enabled)
        {
            Authentications.Add(1, new KeyValuePair<string, object?>("method", method),
                new KeyValuePair<string, object?>("result", success ? "success" : "failure"));
        }
    }
}
