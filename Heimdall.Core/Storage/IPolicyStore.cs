using Heimdall.Core.Policy;

namespace Heimdall.Core.Storage;

/// <summary>
/// Durable storage of tenants and policies (SQLite or PostgreSQL). Every write is one transaction that
/// raises the store revision by one; a batch is validated completely and written all-or-nothing.
/// </summary>
public interface IPolicyStore : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    string Driver { get; }

    /// <summary>Applies the pending schema migrations (idempotent; safe when several replicas start at once). Returns the schema version.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The current store revision (0 for a new store).</summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads every tenant and policy at one revision, sorted (ordinally) by ID and name.</summary>
    Task<PolicySnapshot> LoadSnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>One tenant, or null.</summary>
    Task<Tenant?> GetTenantAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>One policy, or null.</summary>
    Task<AccessPolicy?> GetPolicyAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Validates and applies <paramref name="changes"/> in order, in one transaction: either all are written
    /// (and the revision rises by one) or none is and the result says why.
    /// </summary>
    Task<PolicyStoreResult> ApplyAsync(IReadOnlyList<PolicyChange> changes, CancellationToken cancellationToken = default);

    /// <summary>
    /// The change feed: yields the current revision, then every new revision seen (SQLite: polled every
    /// <see cref="PolicyStoreOptions.PollInterval"/>; PostgreSQL: <c>LISTEN/NOTIFY</c>). Survives connection
    /// failures; ends only when cancelled.
    /// </summary>
    IAsyncEnumerable<long> WatchRevisionsAsync(CancellationToken cancellationToken = default);
}
