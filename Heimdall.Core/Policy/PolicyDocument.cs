namespace Heimdall.Core.Policy;

/// <summary>
/// A set of tenants and policies as written in a policy file: one policy, an array of policies, or
/// <c>{"tenants": [...], "policies": [...]}</c> (the shapes the Go Heimdall's <c>policies.json</c> used).
/// </summary>
public sealed record PolicyDocument
{
    /// <summary>Tenants, in file order.</summary>
    public IReadOnlyList<Tenant> Tenants { get; init; } = [];

    /// <summary>Policies, in file order.</summary>
    public IReadOnlyList<AccessPolicy> Policies { get; init; } = [];
}
