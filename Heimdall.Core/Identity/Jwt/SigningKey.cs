using Microsoft.IdentityModel.Tokens;

namespace Heimdall.Core.Identity.Jwt;

/// <summary>A verification key with what restricts its use: key type, curve and the JWK's own <c>alg</c>.</summary>
internal sealed record SigningKey(string? KeyId, string? Algorithm, string KeyType, string? Curve, SecurityKey Key)
{
    /// <summary>
    /// Whether this key may verify a token signed with <paramref name="alg"/>: RS*/PS* need an RSA key, ES256/384/512
    /// an EC key on P-256/P-384/P-521, HS* a configured secret; a JWK that names its <c>alg</c> serves only that one.
    /// This is what stops algorithm confusion (an RSA public key used as an HMAC secret, an EC key for RS256).
    /// </summary>
    public bool Supports(string alg)
    {
        if (Algorithm is not null && !string.Equals(Algorithm, alg, StringComparison.Ordinal))
        {
            return false;
        }
        return alg switch
        {
            "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" => KeyType == "RSA" && Key is RsaSecurityKey,
            "ES256" => KeyType == "EC" && Curve == "P-256" && Key is ECDsaSecurityKey,
            "ES384" => KeyType == "EC" && Curve == "P-384" && Key is ECDsaSecurityKey,
            "ES512" => KeyType == "EC" && Curve == "P-521" && Key is ECDsaSecurityKey,
            "HS256" or "HS384" or "HS512" => KeyType == "oct" && Key is SymmetricSecurityKey,
            _ => false,
        };
    }
}
