using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Heimdall.Core.Identity.Jwt;

/// <summary>An immutable set of verification keys, indexed by key ID.</summary>
internal sealed class SigningKeySet
{
    private const int MinRsaBits = 2048;

    private readonly Dictionary<string, SigningKey[]> _byKid;

    private SigningKeySet(IReadOnlyList<SigningKey> keys, IReadOnlyList<string> skipped)
    {
        Keys = keys;
        Skipped = skipped;
        _byKid = keys.Where(k => k.KeyId is not null).GroupBy(k => k.KeyId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Every usable key.</summary>
    public IReadOnlyList<SigningKey> Keys { get; }

    /// <summary>Why some JWKs were not loaded (for logs).</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Whether a key with <paramref name="kid"/> exists, whatever its type.</summary>
    public bool Contains(string kid) => _byKid.ContainsKey(kid);

    /// <summary>The key IDs of this set.</summary>
    public IEnumerable<string> KeyIds => _byKid.Keys;

    /// <summary>
    /// The keys that may verify a token with <paramref name="kid"/> (null: every key) and <paramref name="alg"/>.
    /// </summary>
    public SecurityKey[] Find(string? kid, string alg)
    {
        IEnumerable<SigningKey> pool = kid is null ? Keys : _byKid.TryGetValue(kid, out var byKid) ? byKid : [];
        return [.. pool.Where(k => k.Supports(alg)).Select(k => k.Key)];
    }

    /// <summary>A set holding one HMAC secret.</summary>
    public static SigningKeySet FromSecret(string secret) =>
        new([new SigningKey(null, null, "oct", null, new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)))], []);

    /// <summary>
    /// Parses a JWKS document. Only public members are read (a private JWKS verifies like its public half);
    /// symmetric (<c>oct</c>) keys, keys not for signatures and RSA keys under 2048 bits are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">The document is not a JWKS.</exception>
    public static SigningKeySet Parse(string json)
    {
        var jwks = new JsonWebKeySet(json) { SkipUnresolvedJsonWebKeys = false };
        var keys = new List<SigningKey>();
        var skipped = new List<string>();
        foreach (var jwk in jwks.Keys)
        {
            var name = jwk.Kid ?? "(no kid)";
            if (jwk.Use is { Length: > 0 } use && use != JsonWebKeyUseNames.Sig)
            {
                skipped.Add($"{name}: use is \"{use}\"");
                continue;
            }
            try
            {
                switch (jwk.Kty)
                {
                    case JsonWebAlgorithmsKeyTypes.RSA:
                        var rsa = new RSAParameters
                        {
                            Modulus = Base64UrlEncoder.DecodeBytes(jwk.N),
                            Exponent = Base64UrlEncoder.DecodeBytes(jwk.E),
                        };
                        if (rsa.Modulus.Length * 8 < MinRsaBits)
                        {
                            skipped.Add($"{name}: RSA key shorter than {MinRsaBits} bits");
                            continue;
                        }
                        keys.Add(new SigningKey(jwk.Kid, jwk.Alg, "RSA", null, new RsaSecurityKey(rsa) { KeyId = jwk.Kid }));
                        break;
                    case JsonWebAlgorithmsKeyTypes.EllipticCurve:
                        var curve = jwk.Crv switch
                        {
                            "P-256" => ECCurve.NamedCurves.nistP256,
                            "P-384" => ECCurve.NamedCurves.nistP384,
                            "P-521" => ECCurve.NamedCurves.nistP521,
                            _ => (ECCurve?)null,
                        };
                        if (curve is null)
                        {
                            skipped.Add($"{name}: unsupported curve \"{jwk.Crv}\"");
                            continue;
                        }
                        var ec = ECDsa.Create(new ECParameters
                        {
                            Curve = curve.Value,
                            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) },
                        });
                        keys.Add(new SigningKey(jwk.Kid, jwk.Alg, "EC", jwk.Crv, new ECDsaSecurityKey(ec) { KeyId = jwk.Kid }));
                        break;
                    default:
                        skipped.Add($"{name}: key type \"{jwk.Kty}\" is not accepted from a JWKS");
                        break;
                }
            }
            catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
            {
                skipped.Add($"{name}: {e.GetType().Name}");
            }
        }
        return new SigningKeySet(keys, skipped);
    }
}
