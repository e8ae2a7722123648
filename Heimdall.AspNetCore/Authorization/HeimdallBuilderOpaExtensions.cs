using Heimdall.AspNetCore;
using Heimdall.Core.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses Open Policy Agent as Heimdall's policy evaluator.</summary>
public static class HeimdallBuilderOpaExtensions
{
    /// <summary>
    /// Decides through OPA's REST API at <see cref="OpaOptions.Url"/> instead of the built-in evaluator, behind the
    /// decision cache (<paramref name="cache"/>; <c>MaxEntries = 0</c> turns it off). Replaces any evaluator
    /// registered before. OPA should pull Heimdall's bundle (<c>MapHeimdallBundles()</c>, see <c>samples/opa</c>).
    /// </summary>
    public static IHeimdallBuilder UseOpa(this IHeimdallBuilder builder, OpaOptions opa, DecisionCacheOptions? cache = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(opa);
        if (opa.Url is null)
        {
            throw new ArgumentException("opa.url is required to use OPA", nameof(opa));
        }
        builder.Services.RemoveAll<IPolicyEvaluator>();
        builder.Services.AddHeimdallPolicyEvaluator(opa, cache);
        return builder;
    }
}
