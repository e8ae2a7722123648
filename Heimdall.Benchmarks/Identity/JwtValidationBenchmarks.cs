// dotnet run -c Release --project Heimdall.Benchmarks -- --filter '*JwtValidation*' --job short
//
// (add --inProcess when the machine is too loaded to build the benchmark copy within BenchmarkDotNet's 2-minute limit)
//
// Latest figures, 2026-11-26, 2-core AMD EPYC VM, quiet (load average 1.8-3.3), --job short --inProcess:
//   CachedRs256 101 ns (0 B), HashToken 49 ns, ParseToken 1.51 us (2.6 KB), UncachedRs256 25.65 us (8.0 KB),
//   BareVerifyRs256 20.01 us (1.28x), UncachedEs256 58.84 us (9.3 KB), BareVerifyEs256 53.17 us (1.11x).
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Heimdall.Core.Identity;
using Heimdall.Core.Identity.Jwt;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Heimdall.Benchmarks.Identity;

/// <summary>
/// Token validation: a cache hit, and full RS256/ES256 validation (signature, lifetime, issuer, audience, claim
/// mapping) next to the bare signature verification it cannot avoid.
/// </summary>
[MemoryDiagnoser]
public class JwtValidationBenchmarks
{
    private const string Issuer = "https://idp.example";
    private const string Audience = "heimdall";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private JwtAuthenticator _cached = null!;
    private JwtAuthenticator _uncached = null!;
    private string _rsToken = null!;
    private string _esToken = null!;
    private byte[] _rsInput = null!;
    private byte[] _rsSignature = null!;
    private byte[] _esInput = null!;
    private byte[] _esSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rsaKey = new RsaSecurityKey(_rsa) { KeyId = "rsa-1" };
        var ecKey = new ECDsaSecurityKey(_ec) { KeyId = "ec-1" };
        var jwks = "{\"keys\":[" + Jwk(rsaKey) + "," + Jwk(ecKey) + "]}";
        var options = new JwtOptions
        {
            InlineJwks = jwks,
            Issuer = Issuer,
            Audiences = [Audience],
            GroupClaims = ["groups"],
            TenantClaims = ["namespaces"],
        };
        _cached = Create(options);
        _uncached = Create(options with { CacheSize = 0 });
        _rsToken = Mint(rsaKey, SecurityAlgorithms.RsaSha256);
        _esToken = Mint(ecKey, SecurityAlgorithms.EcdsaSha256);
        (_rsInput, _rsSignature) = Split(_rsToken);
        (_esInput, _esSignature) = Split(_esToken);
        if (!CachedRs256().Succeeded || !UncachedRs256().Succeeded || !UncachedEs256().Succeeded || !BareVerifyRs256() || !BareVerifyEs256())
        {
            throw new InvalidOperationException("benchmark setup: a token does not validate");
        }
    }

    [Benchmark]
    public AuthenticationResult CachedRs256() => _cached.AuthenticateAsync(_rsToken, default).GetAwaiter().GetResult();

    [Benchmark]
    public ulong HashToken() => TokenHash.Of(_rsToken).A;

    [Benchmark]
    public JsonWebToken ParseToken() => new(_rsToken);

    [Benchmark]
    public AuthenticationResult UncachedRs256() => _uncached.AuthenticateAsync(_rsToken, default).GetAwaiter().GetResult();

    [Benchmark]
    public bool BareVerifyRs256() => _rsa.VerifyData(_rsInput, _rsSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark]
    public AuthenticationResult UncachedEs256() => _uncached.AuthenticateAsync(_esToken, default).GetAwaiter().GetResult();

    [Benchmark]
    public bool BareVerifyEs256() => _ec.VerifyData(_esInput, _esSignature, HashAlgorithmName.SHA256);

    private static JwtAuthenticator Create(JwtOptions options) =>
        new(options, AuthenticatorFactory.CreateKeySource(options, NullLoggerFactory.Instance, null, TimeProvider.System),
            TimeProvider.System, NullLogger.Instance);

    private static string Jwk(SecurityKey key)
    {
        var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(key);
        return key is RsaSecurityKey
            ? $"{{\"kty\":\"RSA\",\"kid\":\"{jwk.Kid}\",\"n\":\"{jwk.N}\",\"e\":\"{jwk.E}\"}}"
            : $"{{\"kty\":\"EC\",\"kid\":\"{jwk.Kid}\",\"crv\":\"P-256\",\"x\":\"{jwk.X}\",\"y\":\"{jwk.Y}\"}}";
    }

    private static string Mint(SecurityKey key, string alg) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Expires = DateTime.UtcNow.AddDays(1),
        Claims = new Dictionary<string, object>
        {
            ["sub"] = "alice@acme.com",
            ["groups"] = new[] { "sre", "dev" },
            ["namespaces"] = new[] { "acme", "globex" },
        },
        SigningCredentials = new SigningCredentials(key, alg),
    });

    private static (byte[] Input, byte[] Signature) Split(string token)
    {
        var dot = token.LastIndexOf('.');
        return (Encoding.ASCII.GetBytes(token[..dot]), Base64UrlEncoder.DecodeBytes(token[(dot + 1)..]));
    }
}
