namespace Heimdall.Core.Policy;

/// <summary>An immutable, consistent view of all tenants and policies at one store revision.</summary>
public sealed record PolicySnapshot
{
    /// <summary>The store revision this snapshot was read at; grows with every change.</summary>
    public required long Revision { get; init; }

    /// <summary>All tenants, sorted by ID.</summary>
    public required IReadOnlyList<Tenant> Tenants { get; init; }

    /// <summary>All policies, sorted by name.</summary>
    public required IReadOnlyList<AccessPolicy> Policies { get; init; }

    /// <summary>An empty snapshot at revision 0.</summary>
    public static PolicySnapshot Empty { get; } = new() { Revision = 0, Tenants = [], Policies = [] };
}
