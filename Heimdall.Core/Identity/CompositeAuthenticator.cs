using Heimdall.Core.Diagnostics;
using Heimdall.Core.Identity.Basic;
using Heimdall.Core.Identity.Jwt;
using Microsoft.Extensions.Logging;

namespace Heimdall.Core.Identity;

/// <summary>
/// Heimdall's <see cref="IAuthenticator"/>: <c>Authorization: Bearer</c> (then the configured token headers) as a JWT,
/// <c>Authorization: Basic</c> against the users file, and, only without any credential, the development-only static
/// identity. A credential that is present but bad is refused; it never falls through to another method.
/// </summary>
internal sealed partial class CompositeAuthenticator : IAuthenticator
{
    private const string AuthorizationHeader = "Authorization";

    private readonly JwtAuthenticator? _jwt;
    private readonly BasicAuthenticator? _basic;
    private readonly AuthenticationResult? _static;
    private readonly ILogger _logger;
    private readonly string _missingChallenge;

    public CompositeAuthenticator(JwtAuthenticator? jwt, BasicAuthenticator? basic, StaticIdentityOptions? staticIdentity, ILogger logger)
    {
        _jwt = jwt;
        _basic = basic;
        _logger = logger;
        if (staticIdentity is { Enabled: true, User: { } user })
        {
            _static = AuthenticationResult.Success(new CallerIdentity
            {
                User = user,
                Groups = staticIdentity.Groups,
                Tenants = staticIdentity.Tenants,
                Method = "static",
            });
            Log.StaticIdentityEnabled(logger, user);
        }
        _missingChallenge = basic is null ? Challenges.Bearer()
            : jwt is null ? Challenges.Basic()
            : Challenges.Bearer() + ", " + Challenges.Basic();
    }

    public async ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (method, result) = await AuthenticateCoreAsync(request.Headers, cancellationToken).ConfigureAwait(false);
        IdentityMetrics.Authenticated(method, result.Succeeded);
        return result;
    }

    private async ValueTask<(string Method, AuthenticationResult Result)> AuthenticateCoreAsync(
        IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        if (headers.TryGetValue(AuthorizationHeader, out var authorization) && authorization.Length > 0)
        {
            if (authorization.Contains('\n', StringComparison.Ordinal))
            {
                return ("none", Refuse("Authorization header given more than once", _missingChallenge));
            }
            var value = authorization.AsSpan().Trim();
            var space = value.IndexOf(' ');
            var scheme = space < 0 ? value : value[..space];
            var credential = space < 0 ? "" : value[(space + 1)..].Trim().ToString();
            if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return ("jwt", _jwt is null ? Refuse("bearer tokens are not enabled", _missingChallenge)
                    : credential.Length == 0 ? Refuse("empty bearer token", Challenges.Bearer("empty bearer token"))
                    : await _jwt.AuthenticateAsync(credential, cancellationToken).ConfigureAwait(false));
            }
            if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                return ("basic", _basic is null ? Refuse("basic authentication is not enabled", _missingChallenge)
                    : _basic.Authenticate(credential));
            }
            return ("none", Refuse("unsupported authorization scheme", _missingChallenge));
        }
        if (_jwt is not null)
        {
            foreach (var header in _jwt.TokenHeaders)
            {
                if (!headers.TryGetValue(header, out var raw) || raw.Length == 0)
                {
                    continue;
                }
                if (raw.Contains('\n', StringComparison.Ordinal))
                {
                    return ("jwt", Refuse($"{header} header given more than once", _missingChallenge));
                }
                var token = raw.Trim();
                if (token.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
                {
                    token = "";
                }
                else if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                {
                    token = token[7..].Trim();
                }
                return ("jwt", token.Length == 0 ? Refuse("empty bearer token", Challenges.Bearer("empty bearer token"))
                    : await _jwt.AuthenticateAsync(token, cancellationToken).ConfigureAwait(false));
            }
        }
        if (_static is not null)
        {
            return ("static", _static);
        }
        return ("none", Refuse("missing credentials", _missingChallenge));
    }

    private AuthenticationResult Refuse(string reason, string challenge)
    {
        Log.Refused(_logger, reason);
        return AuthenticationResult.Fail(reason, challenge);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.AuthenticationFailed, EventName = "AuthenticationFailed", Level = LogLevel.Information,
            Message = "Request refused: {Reason}")]
        public static partial void Refused(ILogger logger, string reason);

        [LoggerMessage(EventId = EventIds.StaticIdentityEnabled, EventName = "StaticIdentityEnabled", Level = LogLevel.Warning,
            Message = "STATIC IDENTITY ENABLED: every request without credentials acts as user {User}. For development only; never expose this instance.")]
        public static partial void StaticIdentityEnabled(ILogger logger, string user);
    }
}
