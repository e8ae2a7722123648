using Heimdall.Core.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Heimdall's authentication (JWT/JWKS, basic auth, static identity) as the <see cref="IAuthenticator"/>.</summary>
public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="IAuthenticator"/> built from <paramref name="options"/> (unless one is registered already),
    /// with an <c>IHttpClientFactory</c> client named <c>Heimdall.Jwks</c> for JWKS fetches.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">
    /// <paramref name="options"/> is invalid; the exception lists every error.
    /// </exception>
    public static IServiceCollection AddHeimdallIdentity(this IServiceCollection services, IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        AuthenticatorFactory.ThrowIfInvalid(options);
        services.AddHttpClient(AuthenticatorFactory.JwksHttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton<IAuthenticator>(sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return AuthenticatorFactory.Create(options, sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
                () => factory.CreateClient(AuthenticatorFactory.JwksHttpClientName), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
