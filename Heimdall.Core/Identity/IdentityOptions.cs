namespace Heimdall.Core.Identity;

/// <summary>How callers authenticate: the YAML sections <c>jwt</c>, <c>basic_auth</c> and <c>static_identity</c>.</summary>
public sealed record IdentityOptions
{
    /// <summary>YAML <c>jwt</c>: bearer tokens; null disables JWT authentication.</summary>
    public JwtOptions? Jwt { get; init; }

    /// <summary>YAML <c>basic_auth</c>: users file; null disables basic authentication.</summary>
    public BasicAuthOptions? BasicAuth { get; init; }

    /// <summary>YAML <c>static_identity</c>: the development-only identity; null or not enabled disables it.</summary>
    public StaticIdentityOptions? StaticIdentity { get; init; }
}
