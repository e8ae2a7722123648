using System.Runtime.CompilerServices;
using Heimdall.Core.Bundles;
using Heimdall.Core.Federation;
using Heimdall.Core.Policy;

namespace Heimdall.Core.Diagnostics;

/// <summary>
/// Creates the instruments that have no per-event tags at start, so every metric of DESIGN §8 is on
/// <c>/metrics</c> before its first event (instruments live in static classes created on first use).
/// </summary>
internal static class MetricBaseline
{
    public static void Publish()
    {
        RuntimeHelpers.RunClassConstructor(typeof(FederationMetrics).TypeHandle);
        RuntimeHelpers.RunClassConstructor(typeof(PolicyMetrics).TypeHandle);
        RuntimeHelpers.RunClassConstructor(typeof(PolicyBundleService).TypeHandle);
    }
}
