using Heimdall.Core.Identity.Basic;
using Heimdall.Core.Identity.Jwt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Heimdall.Core.Identity;

/// <summary>Builds the <see cref="IAuthenticator"/> for validated <see cref="IdentityOptions"/>.</summary>
internal static class AuthenticatorFactory
{
    /// <summary>Name of the <c>IHttpClientFactory</c> client that fetches JWKS documents.</summary>
    public const string JwksHttpClientName = "Heimdall.Jwks";

    private static readonly Lazy<HttpClient> s_sharedHttp = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    }));

    /// <summary>Validates <paramref name="options"/> and builds the authenticator.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; lists every error.</exception>
    public static CompositeAuthenticator Create(IdentityOptions options, ILoggerFactory loggerFactory,
        Func<HttpClient>? httpClient = null, TimeProvider? time = null)
    {
        ThrowIfInvalid(options);
        time ??= TimeProvider.System;
        JwtAuthenticator? jwt = null;
        if (options.Jwt is { } jwtOptions)
        {
            jwt = new JwtAuthenticator(jwtOptions, CreateKeySource(jwtOptions, loggerFactory, httpClient, time), time,
                loggerFactory.CreateLogger<JwtAuthenticator>());
        }
        var basic = options.BasicAuth is { UsersFile: { } path }
            ? new BasicAuthenticator(path, time, loggerFactory.CreateLogger<BasicAuthenticator>())
            : null;
        return new CompositeAuthenticator(jwt, basic, options.StaticIdentity, loggerFactory.CreateLogger<CompositeAuthenticator>());
    }

    /// <summary>Throws when <paramref name="options"/> has errors.</summary>
    public static void ThrowIfInvalid(IdentityOptions options)
    {
        var errors = IdentityOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(IdentityOptions), typeof(IdentityOptions), errors);
        }
    }

    internal static ISigningKeySource CreateKeySource(JwtOptions options, ILoggerFactory loggerFactory, Func<HttpClient>? httpClient, TimeProvider time)
    {
        var logger = loggerFactory.CreateLogger<ISigningKeySource>();
        if (options.JwksUrl is { } url)
        {
            var http = httpClient ?? (() => s_sharedHttp.Value);
            return new JwksUrlKeySource(http, url, time, options.JwksRefreshInterval, options.JwksMinRefreshInterval, logger, options.JwksMaxAge);
        }
        if (options.JwksFile is { Length: > 0 } file)
        {
            return new JwksFileKeySource(file, time, TimeSpan.FromSeconds(1), logger);
        }
        if (options.InlineJwks is { Length: > 0 } inline)
        {
            return new StaticKeySource(SigningKeySet.Parse(inline));
        }
        return new StaticKeySource(SigningKeySet.FromSecret(options.HmacSecret!));
    }
}
