namespace Heimdall.Core.Identity.Jwt;

/// <summary>Keys fixed at start: inline JWKS or an HMAC secret.</summary>
internal sealed class StaticKeySource(SigningKeySet keys) : ISigningKeySource
{
    public long RemovalGeneration => 0;

    public ValueTask<SigningKeySet?> GetAsync(CancellationToken cancellationToken) => new(keys);

    public ValueTask<SigningKeySet?> RefreshForUnknownKeyAsync(CancellationToken cancellationToken) => new(keys);
}
