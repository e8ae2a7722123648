using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Heimdall.Core.Identity.Basic;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Heimdall.Host.Commands;

/// <summary>
/// <c>heimdall token ...</c>: local keys and tokens for testing and the quick start (<c>keygen</c>, <c>mint</c>),
/// and password hashes for the basic-auth users file (<c>hash-password</c>).
/// </summary>
internal static partial class TokenCommands
{
    public static Command Create()
    {
        var token = new Command("token", "Make signing keys, tokens and password hashes for local testing.");
        token.Subcommands.Add(Keygen());
        token.Subcommands.Add(Mint());
        token.Subcommands.Add(HashPassword());
        return token;
    }

    private static Command Keygen()
    {
        var output = new Option<string>("--out") { Description = "File to write the private JWKS to (mode 0600).", Required = true };
        var alg = new Option<string>("--alg") { Description = "RS256 (default), RS384, RS512, PS256, PS384, PS512, ES256, ES384 or ES512.", DefaultValueFactory = _ => "RS256" };
        var kid = new Option<string?>("--kid") { Description = "Key ID (default: the key's RFC 7638 thumbprint)." };
        var command = new Command("keygen", "Generate a signing key and write it as a private JWKS; prints the key ID.") { output, alg, kid };
        command.SetAction(parseResult =>
        {
            var algorithm = parseResult.GetValue(alg)!;
            JsonWebKey jwk;
            try
            {
                jwk = NewKey(algorithm);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            jwk.Kid = parseResult.GetValue(kid) ?? Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
            var path = parseResult.GetValue(output)!;
            WritePrivate(path, WriteJwks(jwk));
            Console.Out.WriteLine(jwk.Kid);
            return 0;
        });
        return command;
    }

    private static Command Mint()
    {
        var jwks = new Option<string>("--jwks") { Description = "Private JWKS written by `heimdall token keygen`.", Required = true };
        var kid = new Option<string?>("--kid") { Description = "Key to sign with (default: the first private key)." };
        var sub = new Option<string>("--sub") { Description = "Subject (the user ID).", Required = true };
        var groups = new Option<string[]>("--groups") { Description = "Groups, comma-separated or repeated.", AllowMultipleArgumentsPerToken = true };
        var tenants = new Option<string[]>("--tenants") { Description = "Tenants the token restricts the caller to (claim --tenant-claim), comma-separated or repeated.", AllowMultipleArgumentsPerToken = true };
        var tenantClaim = new Option<string>("--tenant-claim") { Description = "Claim for --tenants.", DefaultValueFactory = _ => "namespaces" };
        var iss = new Option<string?>("--iss") { Description = "Issuer (iss)." };
        var aud = new Option<string[]>("--aud") { Description = "Audience (aud), repeatable.", AllowMultipleArgumentsPerToken = true };
        var ttl = new Option<string>("--ttl") { Description = "Lifetime, e.g. 90s, 15m, 1h, 7d.", DefaultValueFactory = _ => "1h" };
        var claims = new Option<string[]>("--claim") { Description = "Extra claim k=v (v parsed as JSON when it is JSON, else a string); repeatable." };
        var command = new Command("mint", "Sign a JWT with a key of a private JWKS and print it.")
        {
            jwks, kid, sub, groups, tenants, tenantClaim, iss, aud, ttl, claims,
        };
        command.SetAction(parseResult =>
        {
            if (!TryParseDuration(parseResult.GetValue(ttl)!, out var lifetime) || lifetime <= TimeSpan.Zero)
            {
                Console.Error.WriteLine("--ttl: expected a positive duration such as 90s, 15m, 1h or 7d");
                return 2;
            }
            SigningCredentials credentials;
            try
            {
                credentials = LoadSigningCredentials(parseResult.GetValue(jwks)!, parseResult.GetValue(kid));
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or CryptographicException)
            {
                Console.Error.WriteLine($"--jwks: {e.Message}");
                return 2;
            }
            var payload = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["sub"] = parseResult.GetValue(sub)!,
            };
            if (SplitList(parseResult.GetValue(groups)) is { Length: > 0 } groupList)
            {
                payload["groups"] = groupList;
            }
            if (SplitList(parseResult.GetValue(tenants)) is { Length: > 0 } tenantList)
            {
                payload[parseResult.GetValue(tenantClaim)!] = tenantList;
            }
            foreach (var claim in parseResult.GetValue(claims) ?? [])
            {
                var eq = claim.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    Console.Error.WriteLine($"--claim: expected k=v, got \"{claim}\"");
                    return 2;
                }
                payload[claim[..eq]] = ClaimValue(claim[(eq + 1)..]);
            }
            var now = DateTime.UtcNow;
            var audiences = parseResult.GetValue(aud) ?? [];
            var descriptor = new SecurityTokenDescriptor
            {
                Claims = payload,
                Issuer = parseResult.GetValue(iss),
                IssuedAt = now,
                NotBefore = now,
                Expires = now + lifetime,
                SigningCredentials = credentials,
            };
            if (audiences.Length == 1)
            {
                descriptor.Audience = audiences[0];
            }
            else if (audiences.Length > 1)
            {
                payload["aud"] = audiences;
            }
            Console.Out.WriteLine(new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor));
            return 0;
        });
        return command;
    }

    private static Command HashPassword()
    {
        var algorithm = new Option<string>("--algorithm") { Description = "bcrypt (default) or pbkdf2 (PBKDF2-SHA256, 600000 iterations).", DefaultValueFactory = _ => "bcrypt" };
        var cost = new Option<int>("--cost") { Description = "bcrypt work factor.", DefaultValueFactory = _ => 12 };
        var command = new Command("hash-password", "Read a password from standard input (first line) and print its hash for the users file.") { algorithm, cost };
        command.SetAction(parseResult =>
        {
            var password = Console.In.ReadLine();
            if (string.IsNullOrEmpty(password))
            {
                Console.Error.WriteLine("no password on standard input");
                return 2;
            }
            switch (parseResult.GetValue(algorithm))
            {
                case "bcrypt":
                    var workFactor = parseResult.GetValue(cost);
                    if (workFactor is < 4 or > 31)
                    {
                        Console.Error.WriteLine("--cost: between 4 and 31");
                        return 2;
                    }
                    Console.Out.WriteLine(PasswordHasher.HashBcrypt(password, workFactor));
                    return 0;
                case "pbkdf2":
                    Console.Out.WriteLine(PasswordHasher.HashPbkdf2(password));
                    return 0;
                default:
                    Console.Error.WriteLine("--algorithm: bcrypt or pbkdf2");
                    return 2;
            }
        });
        return command;
    }

    private static JsonWebKey NewKey(string alg)
    {
        switch (alg)
        {
            case "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512":
                using (var rsa = RSA.Create(alg.EndsWith("256", StringComparison.Ordinal) ? 2048 : 3072))
                {
                    var p = rsa.ExportParameters(includePrivateParameters: true);
                    return new JsonWebKey
                    {
                        Kty = JsonWebAlgorithmsKeyTypes.RSA, Alg = alg, Use = JsonWebKeyUseNames.Sig,
                        N = Base64UrlEncoder.Encode(p.Modulus), E = Base64UrlEncoder.Encode(p.Exponent),
                        D = Base64UrlEncoder.Encode(p.D), P = Base64UrlEncoder.Encode(p.P), Q = Base64UrlEncoder.Encode(p.Q),
                        DP = Base64UrlEncoder.Encode(p.DP), DQ = Base64UrlEncoder.Encode(p.DQ), QI = Base64UrlEncoder.Encode(p.InverseQ),
                    };
                }
            case "ES256" or "ES384" or "ES512":
                var (curve, crv) = alg switch
                {
                    "ES256" => (ECCurve.NamedCurves.nistP256, "P-256"),
                    "ES384" => (ECCurve.NamedCurves.nistP384, "P-384"),
                    _ => (ECCurve.NamedCurves.nistP521, "P-521"),
                };
                using (var ec = ECDsa.Create(curve))
                {
                    var p = ec.ExportParameters(includePrivateParameters: true);
                    return new JsonWebKey
                    {
                        Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve, Alg = alg, Use = JsonWebKeyUseNames.Sig, Crv = crv,
                        X = Base64UrlEncoder.Encode(p.Q.X), Y = Base64UrlEncoder.Encode(p.Q.Y), D = Base64UrlEncoder.Encode(p.D),
                    };
                }
            default:
                throw new ArgumentException($"--alg: unsupported algorithm \"{alg}\" (RS*, PS*, ES*)");
        }
    }

    private static string WriteJwks(JsonWebKey jwk)
    {
        var members = new (string Name, string? Value)[]
        {
            ("kty", jwk.Kty), ("kid", jwk.Kid), ("use", jwk.Use), ("alg", jwk.Alg), ("crv", jwk.Crv),
            ("n", jwk.N), ("e", jwk.E), ("x", jwk.X), ("y", jwk.Y),
            ("d", jwk.D), ("p", jwk.P), ("q", jwk.Q), ("dp", jwk.DP), ("dq", jwk.DQ), ("qi", jwk.QI),
        };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            writer.WriteStartObject();
            foreach (var (name, value) in members)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    writer.WriteString(name, value);
                }
            }
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WritePrivate(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(content));
    }

    private static SigningCredentials LoadSigningCredentials(string path, string? kid)
    {
        var set = new JsonWebKeySet(File.ReadAllText(path));
        var jwk = set.Keys.FirstOrDefault(k => !string.IsNullOrEmpty(k.D) && (kid is null || k.Kid == kid))
            ?? throw new InvalidDataException(kid is null ? "no private key in the JWKS" : $"no private key with kid \"{kid}\"");
        SecurityKey key;
        string alg;
        if (jwk.Kty == JsonWebAlgorithmsKeyTypes.RSA)
        {
            var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters
            {
                Modulus = Base64UrlEncoder.DecodeBytes(jwk.N), Exponent = Base64UrlEncoder.DecodeBytes(jwk.E),
                D = Base64UrlEncoder.DecodeBytes(jwk.D), P = Base64UrlEncoder.DecodeBytes(jwk.P), Q = Base64UrlEncoder.DecodeBytes(jwk.Q),
                DP = Base64UrlEncoder.DecodeBytes(jwk.DP), DQ = Base64UrlEncoder.DecodeBytes(jwk.DQ), InverseQ = Base64UrlEncoder.DecodeBytes(jwk.QI),
            });
            key = new RsaSecurityKey(rsa) { KeyId = jwk.Kid };
            alg = jwk.Alg ?? SecurityAlgorithms.RsaSha256;
        }
        else if (jwk.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve)
        {
            var (curve, defaultAlg) = jwk.Crv switch
            {
                "P-256" => (ECCurve.NamedCurves.nistP256, "ES256"),
                "P-384" => (ECCurve.NamedCurves.nistP384, "ES384"),
                "P-521" => (ECCurve.NamedCurves.nistP521, "ES512"),
                _ => throw new InvalidDataException($"unsupported curve \"{jwk.Crv}\""),
            };
            var ec = ECDsa.Create(new ECParameters
            {
                Curve = curve,
                D = Base64UrlEncoder.DecodeBytes(jwk.D),
                Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) },
            });
            key = new ECDsaSecurityKey(ec) { KeyId = jwk.Kid };
            alg = jwk.Alg ?? defaultAlg;
        }
        else
        {
            throw new InvalidDataException($"unsupported key type \"{jwk.Kty}\"");
        }
        return new SigningCredentials(key, alg);
    }

    private static string[] SplitList(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];

    private static object ClaimValue(string text)
    {
        try
        {
            var element = JsonSerializer.Deserialize<JsonElement>(text);
            return element.ValueKind switch
            {
                JsonValueKind.Number when element.TryGetInt64(out var n) => n,
                JsonValueKind.Number => element.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => element.GetString()!,
                _ => element,
            };
        }
        catch (JsonException)
        {
            return text;
        }
    }

    /// <summary>Parses <c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>, <c>1h30m</c>, or a .NET <c>hh:mm:ss</c>.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
        }
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var value = long.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
            duration += part.Value[^1] switch
            {
                'd' => TimeSpan.FromDays(value),
                'h' => TimeSpan.FromHours(value),
                'm' => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromSeconds(value),
            };
        }
        return true;
    }

    [GeneratedRegex(@"^(?<part>\d{1,6}[dhms])+$")]
    private static partial Regex DurationPattern();
}
