using Microsoft.Extensions.Primitives;

namespace Heimdall.Core.Policy;

/// <summary>
/// An <see cref="IPolicySnapshotProvider"/> whose tenants and policies are set in code, for applications that
/// configure policies without a store, and for tests. Thread-safe.
/// </summary>
public sealed class InMemoryPolicySnapshotProvider : IPolicySnapshotProvider
{
    private readonly Lock _lock = new();
    private volatile PolicySnapshot _current;
    private CancellationTokenSource _changed = new();

    /// <summary>Starts with <paramref name="initial"/>, or an empty snapshot at revision 0.</summary>
    public InMemoryPolicySnapshotProvider(PolicySnapshot? initial = null)
    {
        _current = initial ?? PolicySnapshot.Empty;
    }

    /// <inheritdoc />
    public PolicySnapshot Current => _current;

    /// <inheritdoc />
    public IChangeToken Watch()
    {
        lock (_lock)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    /// <summary>
    /// Replaces the tenants and policies. The new snapshot gets the next revision; tenants are sorted by ID and
    /// policies by name. Returns the new snapshot.
    /// </summary>
    public PolicySnapshot Update(IEnumerable<Tenant> tenants, IEnumerable<AccessPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(policies);
        var sortedTenants = tenants.OrderBy(t => t.Id, StringComparer.Ordinal).ToArray();
        var sortedPolicies = policies.OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
        CancellationTokenSource fired;
        PolicySnapshot next;
        lock (_lock)
        {
            next = new PolicySnapshot { Revision = _current.Revision + 1, Tenants = sortedTenants, Policies = sortedPolicies };
            _current = next;
            fired = _changed;
            _changed = new CancellationTokenSource();
        }
        // Callbacks run outside the lock so that they may read Current and call Watch() again. The fired source is
        // not disposed: tokens handed out earlier may still register callbacks on it (they run at once).
        fired.Cancel();
        return next;
    }
}
