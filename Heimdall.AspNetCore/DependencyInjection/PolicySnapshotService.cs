using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Heimdall.Core.Storage.Files;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Heimdall.AspNetCore.DependencyInjection;

/// <summary>
/// Hosts the configured snapshot source: at start it migrates the store and loads the first snapshot (the
/// host refuses to start if that fails), then follows the change feed. Until started it serves the empty
/// snapshot, which grants nothing.
/// </summary>
internal sealed class PolicySnapshotService(Func<CancellationToken, Task<IPolicySnapshotProvider>> start) : IHostedService, IPolicySnapshotProvider, IAsyncDisposable
{
    private readonly CancellationTokenSource _started = new();
    private IPolicySnapshotProvider? _inner;

    public static PolicySnapshotService ForStore(IPolicyStore store, ILoggerFactory loggers) => new(async ct =>
    {
        await store.MigrateAsync(ct);
        return await StorePolicySnapshotProvider.StartAsync(store, loggers.CreateLogger<StorePolicySnapshotProvider>(), ct);
    });

    public static PolicySnapshotService ForDirectory(string directory, ILoggerFactory loggers) =>
        new(_ => Task.FromResult<IPolicySnapshotProvider>(FilePolicySnapshotProvider.Start(directory, loggers.CreateLogger<FilePolicySnapshotProvider>())));

    public PolicySnapshot Current => _inner?.Current ?? PolicySnapshot.Empty;

    public IChangeToken Watch() => _inner?.Watch() ?? new CancellationChangeToken(_started.Token);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_inner is not null)
        {
            return; // registered more than once as a hosted service
        }
        _inner = await start(cancellationToken);
        await _started.CancelAsync();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a DI container may reach one instance through several registrations.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        if (_inner is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        _started.Dispose();
    }
}
