using Heimdall.AspNetCore.Bundles;
using Heimdall.Core.Identity;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Microsoft.Extensions.Configuration;
using static Heimdall.AspNetCore.Configuration.ConfigurationReader;

namespace Heimdall.AspNetCore.Configuration;

/// <summary>
/// Binds the whole configuration (the keys of <c>config.example.yaml</c>) and lists every error at once:
/// <c>mimir</c>/<c>fanout</c>/<c>federation</c>/<c>limits</c>, <c>jwt</c>/<c>basic_auth</c>/<c>static_identity</c>,
/// <c>database</c>/<c>policies</c>, <c>opa</c>/<c>authz</c>, <c>bundle</c>, <c>admin</c>.
/// </summary>
internal static class HeimdallSettingsBinder
{
    /// <param name="configuration">The configuration.</param>
    /// <param name="identityRequired">False when the app brings its own <c>IAuthenticator</c>: the identity sections may then be absent.</param>
    /// <param name="errors">Every problem, named by its YAML key.</param>
    public static HeimdallSettings Bind(IConfiguration configuration, bool identityRequired, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        // Without a mimir section a replica serves only the admin API and bundles (no Prometheus API).
        var gateway = GatewayConfigurationBinder.Bind(configuration, out var gatewayErrors);
        if (configuration.GetSection("mimir").Exists())
        {
            problems.AddRange(gatewayErrors);
        }

        var identity = BindIdentity(configuration, problems);
        if (identityRequired)
        {
            problems.AddRange(IdentityOptionsValidator.Validate(identity));
        }

        var database = configuration.GetSection("database");
        var store = new PolicyStoreOptions
        {
            Driver = database["driver"] ?? "sqlite",
            Dsn = database["dsn"] ?? "heimdall.db",
            PollInterval = ReadDuration(database, "poll_interval", TimeSpan.FromSeconds(1), problems, "database.poll_interval"),
        };
        if (store.Driver is not ("sqlite" or "postgres"))
        {
            problems.Add($"database.driver: '{store.Driver}' is not sqlite or postgres");
        }

        var opa = configuration.GetSection("opa");
        var cache = configuration.GetSection("authz:cache");
        var bundle = configuration.GetSection("bundle");
        var settings = new HeimdallSettings
        {
            Gateway = gateway,
            Identity = identity,
            Store = store,
            PoliciesDirectory = configuration["policies:directory"] is { Length: > 0 } dir ? dir : null,
            Opa = new OpaOptions
            {
                Url = ReadUrl(opa, "url", problems),
                Timeout = ReadDuration(opa, "timeout", TimeSpan.FromSeconds(2), problems, "opa.timeout"),
                MaxRetries = ReadInt(opa, "max_retries", 2, 0, problems, "opa.max_retries"),
            },
            DecisionCache = new DecisionCacheOptions
            {
                MaxEntries = ReadInt(cache, "max_entries", 10_000, 0, problems, "authz.cache.max_entries"),
                TimeToLive = ReadDuration(cache, "ttl", TimeSpan.FromSeconds(30), problems, "authz.cache.ttl"),
            },
            Bundle = new BundleEndpointOptions
            {
                Token = bundle["token"] is { Length: > 0 } token ? token : null,
                AllowAnonymous = ReadBool(bundle, "allow_anonymous", false, problems, "bundle.allow_anonymous"),
                MaxLongPollWait = ReadDuration(bundle, "max_long_poll_wait", TimeSpan.FromSeconds(60), problems, "bundle.max_long_poll_wait"),
            },
        };
        errors = problems;
        return settings;
    }

    /// <summary>True when the configuration names a policy source (<c>database</c> or <c>policies.directory</c>).</summary>
    public static bool HasPolicySource(IConfiguration configuration) =>
        configuration.GetSection("database").Exists() || configuration.GetSection("policies").Exists();

    private static IdentityOptions BindIdentity(IConfiguration configuration, List<string> problems)
    {
        var jwt = configuration.GetSection("jwt");
        var basic = configuration.GetSection("basic_auth");
        var dev = configuration.GetSection("static_identity");
        JwtOptions? jwtOptions = null;
        if (jwt.Exists())
        {
            var defaults = new JwtOptions();
            var audiences = ReadList(jwt, "audiences").Concat(ReadList(jwt, "audience")).ToArray();
            jwtOptions = new JwtOptions
            {
                JwksUrl = jwt["jwks_url"] is { Length: > 0 } u ? (Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : Invalid(u)) : null,
                JwksFile = NullIfEmpty(jwt["jwks_file"]),
                InlineJwks = NullIfEmpty(jwt["jwks"]),
                HmacSecret = NullIfEmpty(jwt["hmac_secret"]),
                Issuer = NullIfEmpty(jwt["issuer"]),
                Audiences = audiences,
                ClockSkew = ReadDuration(jwt, "clock_skew", defaults.ClockSkew, problems, "jwt.clock_skew"),
                Algorithms = ReadList(jwt, "algorithms"),
                TokenHeaders = ReadList(jwt, "token_headers"),
                UserClaims = jwt.GetSection("user_claims").Exists() ? ReadList(jwt, "user_claims") : defaults.UserClaims,
                GroupClaims = jwt.GetSection("group_claims").Exists() ? ReadList(jwt, "group_claims") : defaults.GroupClaims,
                TenantClaims = ReadList(jwt, "tenant_claims"),
                JwksRefreshInterval = ReadDuration(jwt, "jwks_refresh_interval", defaults.JwksRefreshInterval, problems, "jwt.jwks_refresh_interval"),
                JwksMinRefreshInterval = ReadDuration(jwt, "jwks_min_refresh_interval", defaults.JwksMinRefreshInterval, problems, "jwt.jwks_min_refresh_interval"),
                JwksMaxAge = ReadDuration(jwt, "jwks_max_age", defaults.JwksMaxAge, problems, "jwt.jwks_max_age"),
                CacheSize = ReadInt(jwt, "cache_size", defaults.CacheSize, 0, problems, "jwt.cache_size"),
            };
        }
        return new IdentityOptions
        {
            Jwt = jwtOptions,
            BasicAuth = basic.Exists() ? new BasicAuthOptions { UsersFile = NullIfEmpty(basic["users_file"]) } : null,
            StaticIdentity = dev.Exists()
                ? new StaticIdentityOptions
                {
                    Enabled = ReadBool(dev, "enabled", false, problems, "static_identity.enabled"),
                    User = NullIfEmpty(dev["user"]),
                    Groups = ReadList(dev, "groups"),
                    Tenants = dev.GetSection("tenants").Exists() ? ReadList(dev, "tenants") : null,
                }
                : null,
        };

        Uri? Invalid(string text)
        {
            problems.Add($"jwt.jwks_url: '{text}' is not an absolute URL");
            return null;
        }
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
