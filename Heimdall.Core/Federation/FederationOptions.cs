namespace Heimdall.Core.Federation;

/// <summary>Tenant federation (the <c>federation</c> section of the configuration).</summary>
public sealed record FederationOptions
{
    /// <summary><c>federation.strategy</c>: <c>native</c> (default) or <c>fanout</c>.</summary>
    public FederationStrategy Strategy { get; init; } = FederationStrategy.Native;

    /// <summary><c>federation.max_tenants</c>: the most tenants in one request (Mimir's <c>-tenant-federation.max-tenants</c>); 0 = no limit.</summary>
    public int MaxTenants { get; init; }
}
