using System.Diagnostics.Metrics;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Heimdall.Core.Bundles;

/// <summary>
/// Keeps the bundle of the provider's current snapshot: built at start, rebuilt (off the notifying thread) on every
/// change the provider signals, with a wait for the next change for OPA's long polling. A failed build keeps the
/// last good bundle.
/// </summary>
internal sealed partial class PolicyBundleService : IDisposable
{
    private static readonly ObservedCounter s_rebuilds = new(MetricNames.BundleRebuilds, "OPA bundle rebuilds.");

    private readonly IPolicySnapshotProvider _provider;
    private readonly ILogger _logger;
    private readonly Lock _buildLock = new();
    private readonly IDisposable _subscription;
    private volatile Built _current;
    private volatile TaskCompletionSource _changed = NewSignal();

    public PolicyBundleService(IPolicySnapshotProvider provider, ILogger<PolicyBundleService> logger)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(logger);
        _provider = provider;
        _logger = logger;
        var snapshot = provider.Current;
        _current = new Built(snapshot, BundleBuilder.Build(snapshot));
        s_rebuilds.Add(1);
        _subscription = ChangeToken.OnChange(provider.Watch, () => ThreadPool.QueueUserWorkItem(_ => Rebuild()));
        // A change between reading Current and subscribing must not be missed.
        Rebuild();
    }

    /// <summary>The current bundle.</summary>
    public PolicyBundle Current => _current.Bundle;

    /// <summary>
    /// Returns the current bundle at once when its ETag differs from <paramref name="etag"/>; otherwise waits up to
    /// <paramref name="wait"/> for a different bundle and returns whatever is current then.
    /// </summary>
    public async Task<PolicyBundle> WaitForChangeAsync(string etag, TimeSpan wait, CancellationToken cancellationToken)
    {
        var changed = _changed.Task;
        var current = _current.Bundle;
        if (!string.Equals(current.ETag, etag, StringComparison.Ordinal) || wait <= TimeSpan.Zero)
        {
            return current;
        }
        try
        {
            await changed.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        return _current.Bundle;
    }

    /// <summary>Builds the bundle of the provider's current snapshot unless it is the one already built.</summary>
    internal void Rebuild()
    {
        lock (_buildLock)
        {
            var snapshot = _provider.Current;
            var current = _current;
            if (ReferenceEquals(current.Snapshot, snapshot))
            {
                return;
            }
            PolicyBundle bundle;
            try
            {
                bundle = BundleBuilder.Build(snapshot);
            }
            catch (Exception e)
            {
                Log.BuildFailed(_logger, e, snapshot.Revision);
                return;
            }
            s_rebuilds.Add(1);
            _current = new Built(snapshot, bundle);
            if (!string.Equals(bundle.Revision, current.Bundle.Revision, StringComparison.Ordinal))
            {
                Log.Rebuilt(_logger, snapshot.Revision, bundle.Revision, bundle.Content.Length);
                var fired = _changed;
                _changed = NewSignal();
                fired.TrySetResult();
            }
        }
    }

    public void Dispose() => _subscription.Dispose();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Built(PolicySnapshot Snapshot, PolicyBundle Bundle);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.BundleRebuilt, Level = LogLevel.Information, Message = "Bundle rebuilt for store revision {StoreRevision}: revision {Revision}, {Bytes} bytes")]
        public static partial void Rebuilt(ILogger logger, long storeRevision, string revision, int bytes);

        [LoggerMessage(EventId = EventIds.BundleBuildFailed, Level = LogLevel.Error, Message = "Building the bundle for store revision {StoreRevision} failed; serving the last good bundle")]
        public static partial void BuildFailed(ILogger logger, Exception exception, long storeRevision);
    }
}
