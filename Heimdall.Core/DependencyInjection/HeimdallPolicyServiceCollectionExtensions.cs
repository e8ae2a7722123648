using Heimdall.Core.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Heimdall's policy evaluation (DESIGN §3) without ASP.NET Core.</summary>
public static class HeimdallPolicyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="IPolicyEvaluator"/>: OPA's REST API when <paramref name="opa"/> has a URL, the
    /// built-in evaluator otherwise, behind the decision cache unless <paramref name="cache"/> turns it off
    /// (<see cref="DecisionCacheOptions.MaxEntries"/> = 0). An <see cref="IPolicySnapshotProvider"/> (a store, or an
    /// <see cref="InMemoryPolicySnapshotProvider"/>) must be registered too. Does nothing when an evaluator is
    /// already registered.
    /// </summary>
    public static IServiceCollection AddHeimdallPolicyEvaluator(this IServiceCollection services, OpaOptions? opa = null,
        DecisionCacheOptions? cache = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        opa ??= new OpaOptions();
        cache ??= new DecisionCacheOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(cache.MaxEntries);
        services.TryAddSingleton<IPolicyEvaluator>(sp =>
        {
            var provider = sp.GetRequiredService<IPolicySnapshotProvider>();
            IPolicyEvaluator inner;
            if (opa.Url is null)
            {
                inner = new LocalPolicyEvaluator(provider);
            }
            else
            {
                var handler = new SocketsHttpHandler
                {
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectTimeout = opa.Timeout,
                    UseProxy = false,
                };
                var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
                var logger = sp.GetService<ILoggerFactory>()?.CreateLogger<OpaPolicyEvaluator>() ?? NullLogger<OpaPolicyEvaluator>.Instance;
                inner = new OpaPolicyEvaluator(client, opa, logger);
            }
            return cache.MaxEntries > 0 ? new CachingPolicyEvaluator(inner, provider, cache) : inner;
        });
        return services;
    }
}
