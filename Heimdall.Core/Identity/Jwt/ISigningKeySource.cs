namespace Heimdall.Core.Identity.Jwt;

/// <summary>Where verification keys come from: a JWKS URL, a JWKS file, inline keys or an HMAC secret.</summary>
internal interface ISigningKeySource
{
    /// <summary>Increases whenever a key ID disappears from the set; cached validations of older generations are dropped.</summary>
    long RemovalGeneration { get; }

    /// <summary>The current keys (loading them on first use, refreshing on schedule); null when none could be loaded.</summary>
    ValueTask<SigningKeySet?> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Called for a token whose key ID is unknown: reloads the keys unless that happened less than the minimum
    /// refresh interval ago, and returns the (possibly unchanged) set.
    /// </summary>
    ValueTask<SigningKeySet?> RefreshForUnknownKeyAsync(CancellationToken cancellationToken);
}
