using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Heimdall.Core.Identity;

/// <summary>Checks <see cref="IdentityOptions"/> and reports every problem at once, naming the YAML key.</summary>
public static class IdentityOptionsValidator
{
    private static readonly HashSet<string> s_symmetric = ["HS256", "HS384", "HS512"];

    /// <summary>The errors in <paramref name="options"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var staticEnabled = options.StaticIdentity is { Enabled: true };
        if (options.Jwt is null && options.BasicAuth is null && !staticEnabled)
        {
            errors.Add("identity: configure at least one of jwt, basic_auth or static_identity");
        }
        if (options.Jwt is { } jwt)
        {
            ValidateJwt(jwt, errors);
        }
        if (options.BasicAuth is { } basic)
        {
            if (string.IsNullOrWhiteSpace(basic.UsersFile))
            {
                errors.Add("basic_auth.users_file: required when basic_auth is configured");
            }
            else if (!File.Exists(basic.UsersFile))
            {
                errors.Add($"basic_auth.users_file: {basic.UsersFile} not found");
            }
        }
        if (options.StaticIdentity is { Enabled: true } st)
        {
            if (string.IsNullOrWhiteSpace(st.User))
            {
                errors.Add("static_identity.user: required when static_identity.enabled is true");
            }
            if (st.Groups.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add("static_identity.groups: group names must not be empty");
            }
        }
        return errors;
    }

    private static void ValidateJwt(JwtOptions jwt, List<string> errors)
    {
        var sources = (jwt.JwksUrl is null ? 0 : 1) + (string.IsNullOrEmpty(jwt.JwksFile) ? 0 : 1)
            + (string.IsNullOrEmpty(jwt.InlineJwks) ? 0 : 1) + (string.IsNullOrEmpty(jwt.HmacSecret) ? 0 : 1);
        if (sources != 1)
        {
            errors.Add($"jwt: set exactly one of jwks_url, jwks_file, jwks, hmac_secret (found {sources})");
        }
        if (jwt.JwksUrl is { } url)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
            {
                errors.Add("jwt.jwks_url: must be an absolute https URL (http only on loopback)");
            }
        }
        if (!string.IsNullOrEmpty(jwt.JwksFile) && !File.Exists(jwt.JwksFile))
        {
            errors.Add($"jwt.jwks_file: {jwt.JwksFile} not found");
        }
        if (!string.IsNullOrEmpty(jwt.InlineJwks))
        {
            try
            {
                _ = new JsonWebKeySet(jwt.InlineJwks);
            }
            catch (ArgumentException)
            {
                errors.Add("jwt.jwks: not a valid JWKS document");
            }
        }
        if (!string.IsNullOrEmpty(jwt.HmacSecret) && Encoding.UTF8.GetByteCount(jwt.HmacSecret) < 32)
        {
            errors.Add("jwt.hmac_secret: must be at least 32 bytes");
        }
        foreach (var alg in jwt.Algorithms)
        {
            if (string.Equals(alg, "none", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("jwt.algorithms: \"none\" is never accepted");
            }
            else if (s_symmetric.Contains(alg))
            {
                if (string.IsNullOrEmpty(jwt.HmacSecret))
                {
                    errors.Add($"jwt.algorithms: {alg} needs jwt.hmac_secret");
                }
                else if (Encoding.UTF8.GetByteCount(jwt.HmacSecret) < MinSecretBytes(alg))
                {
                    errors.Add($"jwt.algorithms: {alg} needs a jwt.hmac_secret of at least {MinSecretBytes(alg)} bytes");
                }
            }
            else if (!JwtOptions.DefaultAsymmetricAlgorithms.Contains(alg))
            {
                errors.Add($"jwt.algorithms: unsupported algorithm \"{alg}\" (RS*, PS*, ES*, or HS* with hmac_secret)");
            }
        }
        if (jwt.ClockSkew < TimeSpan.Zero || jwt.ClockSkew > TimeSpan.FromMinutes(10))
        {
            errors.Add("jwt.clock_skew: must be between 0 and 10m");
        }
        if (jwt.JwksRefreshInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("jwt.jwks_refresh_interval: must be at least 1s");
        }
        if (jwt.JwksMinRefreshInterval < TimeSpan.Zero || jwt.JwksMinRefreshInterval > jwt.JwksRefreshInterval)
        {
            errors.Add("jwt.jwks_min_refresh_interval: must be between 0 and jwt.jwks_refresh_interval");
        }
        if (jwt.JwksMaxAge != TimeSpan.Zero && jwt.JwksMaxAge < jwt.JwksRefreshInterval)
        {
            errors.Add("jwt.jwks_max_age: must be 0 (no limit) or at least jwt.jwks_refresh_interval");
        }
        if (jwt.CacheSize < 0)
        {
            errors.Add("jwt.cache_size: must not be negative");
        }
        if (jwt.UserClaims.Count == 0 || jwt.UserClaims.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("jwt.user_claims: at least one claim, none empty");
        }
        if (jwt.GroupClaims.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("jwt.group_claims: claim names must not be empty");
        }
        if (jwt.TenantClaims.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("jwt.tenant_claims: claim names must not be empty");
        }
        foreach (var header in jwt.TokenHeaders)
        {
            if (string.IsNullOrWhiteSpace(header) || header.Any(c => c <= ' ' || c >= 127 || c == ':'))
            {
                errors.Add($"jwt.token_headers: \"{header}\" is not a header name");
            }
        }
    }

    /// <summary>
    /// The effective algorithm allow-list of <paramref name="jwt"/>: by default the asymmetric ones, or with an HMAC
    /// secret those HS* whose minimum key size (RFC 7518 §3.2: the hash size) the secret meets.
    /// </summary>
    internal static IReadOnlyList<string> EffectiveAlgorithms(JwtOptions jwt)
    {
        if (jwt.Algorithms.Count > 0)
        {
            return jwt.Algorithms;
        }
        if (string.IsNullOrEmpty(jwt.HmacSecret))
        {
            return JwtOptions.DefaultAsymmetricAlgorithms;
        }
        var bytes = Encoding.UTF8.GetByteCount(jwt.HmacSecret);
        return [.. new[] { "HS256", "HS384", "HS512" }.Where(a => bytes >= MinSecretBytes(a))];
    }

    private static int MinSecretBytes(string alg) => alg switch { "HS384" => 48, "HS512" => 64, _ => 32 };
}
