using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Heimdall.Tests.Common;

/// <summary>A real RSA or EC key pair that publishes its public JWK and signs tokens.</summary>
public sealed class TestSigningKey
{
    private readonly AsymmetricAlgorithm _algorithm;

    private TestSigningKey(AsymmetricAlgorithm algorithm, SecurityKey key, string alg, string kid)
    {
        _algorithm = algorithm;
        Key = key;
        Algorithm = alg;
        KeyId = kid;
    }

    public SecurityKey Key { get; }
    public string Algorithm { get; }
    public string KeyId { get; }

    public static TestSigningKey Rsa(string alg = "RS256", string? kid = null, int bits = 2048)
    {
        var rsa = RSA.Create(bits);
        kid ??= "rsa-" + Guid.NewGuid().ToString("N")[..8];
        return new TestSigningKey(rsa, new RsaSecurityKey(rsa) { KeyId = kid }, alg, kid);
    }

    public static TestSigningKey Ec(string alg = "ES256", string? kid = null)
    {
        var ec = ECDsa.Create(alg switch
        {
            "ES256" => ECCurve.NamedCurves.nistP256,
            "ES384" => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        });
        kid ??= "ec-" + Guid.NewGuid().ToString("N")[..8];
        return new TestSigningKey(ec, new ECDsaSecurityKey(ec) { KeyId = kid }, alg, kid);
    }

    /// <summary>The public JWK; <paramref name="withAlg"/> adds the <c>alg</c> member.</summary>
    public JsonObject PublicJwk(bool withAlg = true)
    {
        var jwk = new JsonObject { ["kid"] = KeyId, ["use"] = "sig" };
        if (withAlg)
        {
            jwk["alg"] = Algorithm;
        }
        if (_algorithm is RSA rsa)
        {
            var p = rsa.ExportParameters(false);
            jwk["kty"] = "RSA";
            jwk["n"] = Base64UrlEncoder.Encode(p.Modulus);
            jwk["e"] = Base64UrlEncoder.Encode(p.Exponent);
        }
        else
        {
            var p = ((ECDsa)_algorithm).ExportParameters(false);
            jwk["kty"] = "EC";
            jwk["crv"] = p.Q.X!.Length switch { 32 => "P-256", 48 => "P-384", _ => "P-521" };
            jwk["x"] = Base64UrlEncoder.Encode(p.Q.X);
            jwk["y"] = Base64UrlEncoder.Encode(p.Q.Y);
        }
        return jwk;
    }

    /// <summary>The public key bytes an attacker could use as an HMAC secret (the SubjectPublicKeyInfo).</summary>
    public byte[] PublicKeyBytes() => _algorithm.ExportSubjectPublicKeyInfo();

    public static string Jwks(params TestSigningKey[] keys) =>
        new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.PublicJwk())]) }.ToJsonString();

    /// <summary>Signs a token: <c>sub</c>, then <paramref name="claims"/>, valid from now for <paramref name="ttl"/> unless given.</summary>
    public string Mint(IDictionary<string, object>? claims = null, string? sub = "alice", TimeSpan? ttl = null,
        DateTime? notBefore = null, DateTime? expires = null, string? issuer = null, string? audience = null, bool withExpiry = true)
    {
        var now = DateTime.UtcNow;
        var payload = new Dictionary<string, object>(StringComparer.Ordinal);
        if (sub is not null)
        {
            payload["sub"] = sub;
        }
        foreach (var (k, v) in claims ?? new Dictionary<string, object>())
        {
            payload[k] = v;
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = payload,
            Issuer = issuer,
            Audience = audience,
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = withExpiry ? expires ?? now + (ttl ?? TimeSpan.FromHours(1)) : null,
            SigningCredentials = new SigningCredentials(Key, Algorithm),
        };
        if (!withExpiry)
        {
            descriptor.NotBefore = null;
        }
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A token with any header, signed with <paramref name="sign"/> over <c>header.payload</c> (empty signature when null).</summary>
    public static string Forge(object header, object payload, Func<byte[], byte[]>? sign)
    {
        var input = Base64UrlEncoder.Encode(JsonSerializer.Serialize(header)) + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload));
        var signature = sign is null ? "" : Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes(input)));
        return input + "." + signature;
    }

    /// <summary>A raw signature with this key's algorithm family (ECDSA in JWS format, RSA PKCS#1 SHA-256).</summary>
    public byte[] SignRaw(byte[] data) => _algorithm switch
    {
        RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => ec.SignData(data, HashAlgorithmName.SHA256),
        _ => throw new InvalidOperationException(),
    };
}
