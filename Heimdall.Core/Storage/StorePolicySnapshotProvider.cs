using Heimdall.Core.Diagnostics;
using Heimdall.Core.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Heimdall.Core.Storage;

/// <summary>
/// An <see cref="IPolicySnapshotProvider"/> over an <see cref="IPolicyStore"/>: loads a full snapshot at
/// start (failing the start when the store is unreachable: fail closed), then reloads on every revision the
/// change feed reports. A failed reload keeps the last good snapshot and retries.
/// </summary>
internal sealed partial class StorePolicySnapshotProvider : IPolicySnapshotProvider, IAsyncDisposable
{
    private readonly IPolicyStore _store;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _retryDelay;
    private volatile PolicySnapshot _current;
    private CancellationTokenSource _changed = new();
    private Task _loop = Task.CompletedTask;

    private StorePolicySnapshotProvider(IPolicyStore store, PolicySnapshot initial, ILogger logger, TimeSpan retryDelay)
    {
        _store = store;
        _current = initial;
        _logger = logger;
        _retryDelay = retryDelay;
    }

    /// <summary>Loads the first snapshot and starts following the change feed.</summary>
    public static async Task<StorePolicySnapshotProvider> StartAsync(IPolicyStore store, ILogger logger, CancellationToken cancellationToken = default,
        TimeSpan? retryDelay = null)
    {
        var initial = await store.LoadSnapshotAsync(cancellationToken);
        var provider = new StorePolicySnapshotProvider(store, initial, logger, retryDelay ?? TimeSpan.FromSeconds(1));
        Log.Loaded(logger, initial.Revision, initial.Tenants.Count, initial.Policies.Count);
        provider._loop = Task.Run(provider.FollowAsync);
        return provider;
    }

    public PolicySnapshot Current => _current;

    public IChangeToken Watch() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    private async Task FollowAsync()
    {
        var ct = _stopping.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var revision in _store.WatchRevisionsAsync(ct))
                {
                    await ReloadAsync(revision, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.FeedFailed(_logger, e);
                await DelayAsync(ct);
            }
        }
    }

    private async Task ReloadAsync(long revision, CancellationToken ct)
    {
        while (revision != _current.Revision && !ct.IsCancellationRequested)
        {
            try
            {
                var snapshot = await _store.LoadSnapshotAsync(ct);
                if (snapshot.Revision == _current.Revision)
                {
                    return;
                }
                _current = snapshot;
                var old = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
                Log.Loaded(_logger, snapshot.Revision, snapshot.Tenants.Count, snapshot.Policies.Count);
                old.Cancel();
                old.Dispose();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ReloadFailed(_logger, revision, _current.Revision, e);
                await DelayAsync(ct);
            }
        }
    }

    private async Task DelayAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(_retryDelay, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a DI container may reach one instance through several registrations.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
        _changed.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.SnapshotLoaded, Level = LogLevel.Information, Message = "Policy snapshot at revision {Revision}: {Tenants} tenants, {Policies} policies")]
        public static partial void Loaded(ILogger logger, long revision, int tenants, int policies);

        [LoggerMessage(EventId = EventIds.SnapshotReloadFailed, Level = LogLevel.Error, Message = "Reloading the policy snapshot for revision {Revision} failed; still serving revision {Serving}")]
        public static partial void ReloadFailed(ILogger logger, long revision, long serving, Exception exception);

        [LoggerMessage(EventId = EventIds.ChangeFeedFailed, Level = LogLevel.Error, Message = "The policy change feed failed; restarting it")]
        public static partial void FeedFailed(ILogger logger, Exception exception);
    }
}
