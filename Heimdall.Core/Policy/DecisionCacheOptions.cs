namespace Heimdall.Core.Policy;

/// <summary>
/// The decision cache in front of the evaluator (YAML section <c>authz.cache</c>). Entries are keyed by
/// (user, groups, tenants, action, resource, policy revision) and all dropped when the revision changes.
/// </summary>
public sealed record DecisionCacheOptions
{
    /// <summary>
    /// Most decisions kept (<c>authz.cache.max_entries</c>); when full the cache is emptied and refills.
    /// 0 turns the cache off. Default 10,000.
    /// </summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>
    /// How long a decision is kept at most (<c>authz.cache.ttl</c>), bounding how long an answer OPA gave from an
    /// older bundle can outlive the change. Default 30 seconds.
    /// </summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromSeconds(30);
}
