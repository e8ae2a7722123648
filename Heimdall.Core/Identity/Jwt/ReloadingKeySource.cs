using Heimdall.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Heimdall.Core.Identity.Jwt;

/// <summary>
/// Keys loaded from somewhere that changes (a URL, a file): loaded on first use, reloaded in the background
/// once <c>refreshInterval</c> has passed, and on demand for an unknown key ID at most once per
/// <c>minRefreshInterval</c>. One load runs at a time; the last good set stays in use when a load fails, for at most
/// <c>maxAge</c> after the last successful load (when given): then the keys expire and every token is refused until a
/// load succeeds again (fail closed), and tokens validated with them are no longer served from the token cache.
/// </summary>
internal abstract partial class ReloadingKeySource : ISigningKeySource
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _minRefreshInterval;
    private readonly TimeSpan _maxAge;
    private readonly Lock _lock = new();
    private volatile SigningKeySet? _current;
    private long _lastAttempt = long.MinValue;
    private long _lastSuccess = long.MinValue;
    private Task<SigningKeySet?>? _inflight;
    private long _removalGeneration;
    private int _loads;

    /// <param name="time">The clock.</param>
    /// <param name="refreshInterval">How often the keys are loaded again in the background.</param>
    /// <param name="minRefreshInterval">The least time between two loads triggered by an unknown key ID.</param>
    /// <param name="logger">Where loads and failures are logged.</param>
    /// <param name="maxAge">How long keys stay usable after the last successful load; <see cref="TimeSpan.Zero"/>: no limit.</param>
    protected ReloadingKeySource(TimeProvider time, TimeSpan refreshInterval, TimeSpan minRefreshInterval, ILogger logger, TimeSpan maxAge = default)
    {
        _time = time;
        _refreshInterval = refreshInterval;
        _minRefreshInterval = minRefreshInterval;
        _maxAge = maxAge;
        Logger = logger;
    }

    protected ILogger Logger { get; }

    /// <summary>Names the source in logs (URL or path).</summary>
    protected abstract string Description { get; }

    /// <summary>Even while the keys are current, odd once they have expired: cached validations made with them become misses.</summary>
    public long RemovalGeneration => Interlocked.Read(ref _removalGeneration) * 2 + (Expired() ? 1 : 0);

    /// <summary>Loads attempted so far (for tests and metrics).</summary>
    public int Loads => Volatile.Read(ref _loads);

    /// <summary>True while a load runs (for tests).</summary>
    public bool Loading
    {
        get
        {
            lock (_lock)
            {
                return _inflight is not null;
            }
        }
    }

    public async ValueTask<SigningKeySet?> GetAsync(CancellationToken cancellationToken)
    {
        var current = Usable();
        if (current is null)
        {
            // No keys (first use, every load failed, or expired): wait for a load, but start one at most once per minimum interval.
            await LoadIfDueAsync(cancellationToken).ConfigureAwait(false);
            return Usable();
        }
        if (Due(_refreshInterval))
        {
            _ = ReloadAsync();
        }
        return current;
    }

    public async ValueTask<SigningKeySet?> RefreshForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        await LoadIfDueAsync(cancellationToken).ConfigureAwait(false);
        return Usable();
    }

    /// <summary>The current keys unless they have expired.</summary>
    private SigningKeySet? Usable() => Expired() ? null : _current;

    /// <summary>True when a maximum age is set and the last successful load is older (or none succeeded).</summary>
    private bool Expired()
    {
        if (_maxAge <= TimeSpan.Zero)
        {
            return false;
        }
        var last = Interlocked.Read(ref _lastSuccess);
        return last == long.MinValue || _time.GetElapsedTime(last) >= _maxAge;
    }

    /// <summary>Joins the load in flight, or starts one when the minimum interval has passed; else the current keys.</summary>
    private async ValueTask<SigningKeySet?> LoadIfDueAsync(CancellationToken cancellationToken)
    {
        Task<SigningKeySet?>? pending;
        lock (_lock)
        {
            pending = _inflight;
        }
        if (pending is null && !Due(_minRefreshInterval))
        {
            return _current;
        }
        return await (pending ?? ReloadAsync()).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The document's new content, or null when it is unchanged since the last load.</summary>
    protected abstract Task<string?> LoadAsync(CancellationToken cancellationToken);

    private bool Due(TimeSpan interval)
    {
        var last = Interlocked.Read(ref _lastAttempt);
        return last == long.MinValue || _time.GetElapsedTime(last) >= interval;
    }

    private Task<SigningKeySet?> ReloadAsync()
    {
        lock (_lock)
        {
            if (_inflight is { } running)
            {
                return running;
            }
            Interlocked.Exchange(ref _lastAttempt, _time.GetTimestamp());
            var task = Task.Run(LoadAndSwapAsync);
            _inflight = task;
            return task;
        }
    }

    private async Task<SigningKeySet?> LoadAndSwapAsync()
    {
        Interlocked.Increment(ref _loads);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var json = await LoadAsync(timeout.Token).ConfigureAwait(false);
            if (json is not null)
            {
                var next = SigningKeySet.Parse(json);
                foreach (var reason in next.Skipped)
                {
                    Log.KeySkipped(Logger, Description, reason);
                }
                var previous = _current;
                if (previous is not null && previous.KeyIds.Any(kid => !next.Contains(kid)))
                {
                    Interlocked.Increment(ref _removalGeneration);
                }
                _current = next;
                Log.KeysLoaded(Logger, Description, next.Keys.Count, string.Join(",", next.KeyIds));
            }
            // An unchanged document is a successful load too: the keys are confirmed current.
            Interlocked.Exchange(ref _lastSuccess, _time.GetTimestamp());
            IdentityMetrics.JwksLoads.Add(1, new KeyValuePair<string, object?>("result", json is null ? "unchanged" : "success"));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            IdentityMetrics.JwksLoads.Add(1, new KeyValuePair<string, object?>("result", "failure"));
            Log.KeysLoadFailed(Logger, Description, e.GetType().Name, e.Message);
        }
        finally
        {
            lock (_lock)
            {
                _inflight = null;
            }
        }
        return _current;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.KeysLoaded, EventName = "KeysLoaded", Level = LogLevel.Information,
            Message = "JWKS loaded from {Source}: {Count} keys (kid {KeyIds})")]
        public static partial void KeysLoaded(ILogger logger, string source, int count, string keyIds);

        [LoggerMessage(EventId = EventIds.KeySkipped, EventName = "KeySkipped", Level = LogLevel.Warning,
            Message = "JWKS from {Source}: key skipped: {Reason}")]
        public static partial void KeySkipped(ILogger logger, string source, string reason);

        [LoggerMessage(EventId = EventIds.KeysLoadFailed, EventName = "KeysLoadFailed", Level = LogLevel.Warning,
            Message = "JWKS from {Source} could not be loaded ({ErrorType}: {Error}); keeping the previous keys")]
        public static partial void KeysLoadFailed(ILogger logger, string source, string errorType, string error);
    }
}
