using System.Collections.Concurrent;

namespace Heimdall.Core.Policy;

/// <summary>
/// Caches successful decisions of another evaluator, keyed by <see cref="DecisionCacheKey"/>. The cache is bounded
/// (emptied when full), entries expire after <see cref="DecisionCacheOptions.TimeToLive"/>, and everything is
/// dropped when the policy revision changes. Failures are never cached.
/// </summary>
internal sealed class CachingPolicyEvaluator : IPolicyEvaluator
{
    private readonly IPolicyEvaluator _inner;
    private readonly IPolicySnapshotProvider _provider;
    private readonly int _maxEntries;
    private readonly long _ttlMilliseconds;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<DecisionCacheKey, Entry> _entries = new();
    private readonly Lock _revisionLock = new();
    private long _revision;

    public CachingPolicyEvaluator(IPolicyEvaluator inner, IPolicySnapshotProvider provider, DecisionCacheOptions options,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxEntries);
        _inner = inner;
        _provider = provider;
        _maxEntries = options.MaxEntries;
        _ttlMilliseconds = (long)options.TimeToLive.TotalMilliseconds;
        _time = time ?? TimeProvider.System;
        _revision = provider.Current.Revision;
    }

    /// <summary>Decisions currently cached.</summary>
    internal int Count => _entries.Count;

    public async ValueTask<AuthorizationResult> EvaluateAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var revision = _provider.Current.Revision;
        if (revision != Volatile.Read(ref _revision))
        {
            DropAll(revision);
        }
        var key = new DecisionCacheKey(request, revision);
        var now = _time.GetTimestamp();
        if (_entries.TryGetValue(key, out var entry) && now < entry.Expires)
        {
            PolicyMetrics.CacheHits.Add(1);
            return entry.Result;
        }
        PolicyMetrics.CacheMisses.Add(1);

        var result = await _inner.EvaluateAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded && Volatile.Read(ref _revision) == revision)
        {
            if (_entries.Count >= _maxEntries)
            {
                _entries.Clear();
            }
            var expires = now + _ttlMilliseconds * _time.TimestampFrequency / 1000;
            _entries[key.ToOwned()] = new Entry(result, expires);
        }
        return result;
    }

    private void DropAll(long revision)
    {
        lock (_revisionLock)
        {
            if (_revision != revision)
            {
                _entries.Clear();
                Volatile.Write(ref _revision, revision);
            }
        }
    }

    private sealed record Entry(AuthorizationResult Result, long Expires);
}
