namespace Heimdall.Core.Identity;

/// <summary>
/// A fixed identity for requests without credentials (YAML section <c>static_identity</c>). Development only:
/// anyone who reaches Heimdall acts as this identity, and Heimdall logs a warning at start.
/// </summary>
public sealed record StaticIdentityOptions
{
    /// <summary>YAML <c>static_identity.enabled</c>: must be set explicitly.</summary>
    public bool Enabled { get; init; }

    /// <summary>YAML <c>static_identity.user</c>: the user ID.</summary>
    public string? User { get; init; }

    /// <summary>YAML <c>static_identity.groups</c>: the groups.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>YAML <c>static_identity.tenants</c>: tenants the identity is restricted to; null for no restriction.</summary>
    public IReadOnlyList<string>? Tenants { get; init; }
}
