using Heimdall.Core.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Heimdall.AspNetCore.Authentication;

/// <summary>
/// Authenticates an HTTP request once with the registered <see cref="IAuthenticator"/> and remembers the
/// outcome on the request, so every endpoint (Prometheus API, explain, admin) shares one code path.
/// </summary>
internal static class HttpAuthentication
{
    private static readonly object s_itemKey = new();

    /// <summary>Authenticates <paramref name="context"/> (cached per request).</summary>
    public static async ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(s_itemKey, out var cached) && cached is AuthenticationResult done)
        {
            return done;
        }
        var authenticator = context.RequestServices.GetService<IAuthenticator>();
        var result = authenticator is null
            ? AuthenticationResult.Fail("no authenticator is configured", "Bearer realm=\"heimdall\"")
            : await authenticator.AuthenticateAsync(ToRequest(context.Request), context.RequestAborted);
        context.Items[s_itemKey] = result;
        return result;
    }

    /// <summary>The caller, when the request has been authenticated successfully.</summary>
    public static CallerIdentity? GetCaller(HttpContext context) =>
        context.Items.TryGetValue(s_itemKey, out var r) && r is AuthenticationResult { Identity: { } id } ? id : null;

    /// <summary>
    /// Writes the refusal: 401 with Prometheus' JSON error and <c>WWW-Authenticate</c>, or 503 (with <c>Retry-After</c>)
    /// when the credential could not be checked because a dependency is down.
    /// </summary>
    public static Task ChallengeAsync(HttpContext context, AuthenticationResult result)
    {
        if (result.DependencyUnavailable)
        {
            context.Response.Headers[HeaderNames.RetryAfter] = "5";
            return Http.PrometheusError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                "authentication unavailable: " + result.FailureReason);
        }
        context.Response.Headers[HeaderNames.WWWAuthenticate] = result.Challenge ?? "Bearer realm=\"heimdall\"";
        return Http.PrometheusError.WriteAsync(context, StatusCodes.Status401Unauthorized,
            "authentication failed: " + (result.FailureReason ?? "missing credentials"));
    }

    private static AuthenticationRequest ToRequest(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            // A credential header given more than once is ambiguous; keep every value so the authenticator can refuse it.
            headers[name] = values.Count == 1 ? values[0] ?? "" : string.Join("\n", values.ToArray());
        }
        return new AuthenticationRequest { Headers = headers };
    }
}
