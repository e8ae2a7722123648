namespace Heimdall.Core.Identity;

/// <summary>
/// JWT bearer validation (YAML section <c>jwt</c>). Exactly one key source is set: <see cref="JwksUrl"/>,
/// <see cref="JwksFile"/>, <see cref="InlineJwks"/> or <see cref="HmacSecret"/>.
/// </summary>
public sealed record JwtOptions
{
    /// <summary>The default algorithm allow-list for asymmetric keys.</summary>
    public static IReadOnlyList<string> DefaultAsymmetricAlgorithms { get; } =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>YAML <c>jwt.jwks_url</c>: the identity provider's JWKS endpoint (https, or http on loopback).</summary>
    public Uri? JwksUrl { get; init; }

    /// <summary>YAML <c>jwt.jwks_file</c>: a JWKS file, reloaded when it changes. Private key members are ignored.</summary>
    public string? JwksFile { get; init; }

    /// <summary>YAML <c>jwt.jwks</c>: a JWKS document given inline (JSON text).</summary>
    public string? InlineJwks { get; init; }

    /// <summary>
    /// YAML <c>jwt.hmac_secret</c>: a shared secret (at least 32 bytes of UTF-8) for HS256/HS384/HS512 tokens.
    /// Symmetric keys are used only when set here; a JWKS never supplies them.
    /// </summary>
    public string? HmacSecret { get; init; }

    /// <summary>YAML <c>jwt.issuer</c>: the required <c>iss</c>; null accepts any issuer.</summary>
    public string? Issuer { get; init; }

    /// <summary>YAML <c>jwt.audiences</c> (or <c>jwt.audience</c>): <c>aud</c> must contain one of these; empty accepts any audience.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>YAML <c>jwt.clock_skew</c>: tolerance for <c>exp</c> and <c>nbf</c>. Default 60 s.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// YAML <c>jwt.algorithms</c>: the allowed <c>alg</c> values. Empty means <see cref="DefaultAsymmetricAlgorithms"/>,
    /// or, with <see cref="HmacSecret"/>, those of HS256/HS384/HS512 whose
    /// minimum key size (32/48/64 bytes) the secret meets. <c>none</c> is never accepted.
    /// </summary>
    public IReadOnlyList<string> Algorithms { get; init; } = [];

    /// <summary>
    /// YAML <c>jwt.token_headers</c>: further headers that may carry the token (raw, or <c>Bearer &lt;token&gt;</c>),
    /// read after <c>Authorization: Bearer</c>, e.g. <c>Token</c>, <c>X-Id-Token</c>.
    /// </summary>
    public IReadOnlyList<string> TokenHeaders { get; init; } = [];

    /// <summary>YAML <c>jwt.user_claims</c>: claims tried in order for the user ID; dotted paths reach nested objects.</summary>
    public IReadOnlyList<string> UserClaims { get; init; } = ["sub", "email", "preferred_username"];

    /// <summary>YAML <c>jwt.group_claims</c>: claims whose values (string or array of strings) are all groups, e.g. <c>realm_access.roles</c>.</summary>
    public IReadOnlyList<string> GroupClaims { get; init; } = ["groups", "roles"];

    /// <summary>
    /// YAML <c>jwt.tenant_claims</c>: claims (string such as <c>tenant_id</c>, or array such as <c>namespaces</c>) that
    /// restrict the tenants the caller may name. When none is present the token carries no restriction.
    /// </summary>
    public IReadOnlyList<string> TenantClaims { get; init; } = [];

    /// <summary>YAML <c>jwt.jwks_refresh_interval</c>: how often a JWKS URL is fetched again. Default 5 min.</summary>
    public TimeSpan JwksRefreshInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// YAML <c>jwt.jwks_min_refresh_interval</c>: the least time between two fetches triggered by an unknown <c>kid</c>,
    /// so a flood of bogus key IDs cannot hammer the identity provider. Default 10 s.
    /// </summary>
    public TimeSpan JwksMinRefreshInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// YAML <c>jwt.jwks_max_age</c>: how long keys fetched from <see cref="JwksUrl"/> stay usable after the last
    /// successful fetch. While the JWKS endpoint is down the cached keys keep validating tokens; once this has passed
    /// without a successful fetch they expire and every token is refused (fail closed) until the endpoint answers again.
    /// <see cref="TimeSpan.Zero"/> keeps them until the endpoint answers, however long that takes. Default 24 h.
    /// </summary>
    public TimeSpan JwksMaxAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>YAML <c>jwt.cache_size</c>: validated tokens kept until expiry (LRU); 0 disables the cache. Default 10000.</summary>
    public int CacheSize { get; init; } = 10_000;
}
