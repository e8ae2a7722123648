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
    private readonly TimeProvider? _time;
    private readonly ConcurrentDictionary<DecisionCacheKey, Entry> _entries = new();
    private readonly Lock _revisionLock = new();
    private long _revision;
    private int _approximateCount;

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
        _time = time;
        _revision = provider.Current.Revision;
    }

    /// <summary>Decisions currently cached.</summary>
    internal int Count => _entries.Count;

    public ValueTask<AuthorizationResult> EvaluateAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var revision = _provider.Current.Revision;
        if (revision != Volatile.Read(ref _revision))
        {
            DropAll(revision);
        }
        var key = new DecisionCacheKey(request, revision);
        var now = NowMilliseconds();
        if (_entries.TryGetValue(key, out var entry) && now < entry.Expires)
        {
            PolicyMetrics.CacheHits.Add(1);
            return new ValueTask<AuthorizationResult>(entry.Result);
        }
        PolicyMetrics.CacheMisses.Add(1);
        return EvaluateAndStoreAsync(request, key, revision, now, cancellationToken);
    }

    private async ValueTask<AuthorizationResult> EvaluateAndStoreAsync(AuthorizationRequest request, DecisionCacheKey key,
        long revision, long now, CancellationToken cancellationToken)
    {
        var result = await _inner.EvaluateAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded && Volatile.Read(ref _revision) == revision)
        {
            // ConcurrentDictionary.Count takes every lock; an approximate count of our own bounds the size well enough.
            if (Volatile.Read(ref _approximateCount) >= _maxEntries)
            {
                _entries.Clear();
                Volatile.Write(ref _approximateCount, 0);
            }
            var owned = key.ToOwned();
            var entry = new Entry(result, now + _ttlMilliseconds);
            if (_entries.TryAdd(owned, entry))
            {
                Interlocked.Increment(ref _approximateCount);
            }
            else
            {
                _entries[owned] = entry;
            }
        }
        return result;
    }

    /// <summary>A monotonic clock in milliseconds; the system's is the cheap coarse tick count.</summary>
    private long NowMilliseconds() =>
        _time is null ? Environment.TickCount64 : (long)(_time.GetTimestamp() * 1000.0 / _time.TimestampFrequency);

    private void DropAll(long revision)
    {
        lock (_revisionLock)
        {
            if (_revision != revision)
            {
                _entries.Clear();
                Volatile.Write(ref _approximateCount, 0);
                Volatile.Write(ref _revision, revision);
            }
        }
    }

    /// <summary>A cached decision and when it expires (<see cref="NowMilliseconds"/>).</summary>
    private sealed record Entry(AuthorizationResult Result, long Expires);
}
