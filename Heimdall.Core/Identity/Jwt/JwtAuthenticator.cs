using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Heimdall.Core.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Heimdall.Core.Identity.Jwt;

/// <summary>
/// Validates a bearer token with Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/>: algorithm allow-list,
/// signature with a key of the right type (never <c>none</c>, no algorithm confusion), issuer, audience, <c>exp</c>
/// (required) and <c>nbf</c> with clock skew; then maps its claims. Valid tokens are cached until they expire.
/// </summary>
internal sealed partial class JwtAuthenticator
{
    private readonly JwtOptions _options;
    private readonly ISigningKeySource _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<string> _algorithms;
    private readonly TokenValidationParameters _parameters;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly ClaimMapper _mapper;
    private readonly TokenCache<AuthenticationResult> _cache;

    // Validation parameters per key set and (kid, alg), built once rather than cloned per token. Bounded: only kids
    // present in the set (or none) are cached, and algorithms come from the allow-list.
    private readonly ConditionalWeakTable<SigningKeySet, ConcurrentDictionary<(string? Kid, string Alg), TokenValidationParameters?>> _parametersByKeys = new();

    public JwtAuthenticator(JwtOptions options, ISigningKeySource keys, TimeProvider time, ILogger logger)
    {
        _options = options;
        _keys = keys;
        _time = time;
        _logger = logger;
        _algorithms = new HashSet<string>(IdentityOptionsValidator.EffectiveAlgorithms(options), StringComparer.Ordinal);
        _algorithms.Remove("none");
        _mapper = new ClaimMapper(options);
        _cache = new TokenCache<AuthenticationResult>(options.CacheSize);
        _parameters = new TokenValidationParameters
        {
            ValidAlgorithms = _algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = options.ClockSkew,
            ValidateIssuer = options.Issuer is not null,
            ValidIssuer = options.Issuer,
            ValidateAudience = options.Audiences.Count > 0,
            ValidAudiences = options.Audiences,
            ValidateIssuerSigningKey = false,
            TryAllIssuerSigningKeys = true,
            SaveSigninToken = false,
        };
    }

    /// <summary>Headers besides <c>Authorization</c> that may carry a token.</summary>
    public IReadOnlyList<string> TokenHeaders => _options.TokenHeaders;

    /// <summary>Validated tokens currently cached.</summary>
    internal int CachedCount => _cache.Count;

    /// <summary>Validates <paramref name="token"/>; never throws for a bad token.</summary>
    public ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var hash = TokenHash.Of(token);
        var generation = _keys.RemovalGeneration;
        if (_cache.Get(hash, _time.GetUtcNow(), generation) is { } cached)
        {
            return new ValueTask<AuthenticationResult>(cached);
        }
        return ValidateAsync(token, hash, generation, cancellationToken);
    }

    private async ValueTask<AuthenticationResult> ValidateAsync(string token, TokenHash hash, long generation, CancellationToken cancellationToken)
    {
        using var activity = HeimdallDiagnostics.ActivitySource.StartActivity(SpanNames.JwtValidate);
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException or JsonException)
        {
            return Refuse(activity, "malformed token", null, null);
        }
        if (jwt.IsEncrypted)
        {
            return Refuse(activity, "encrypted tokens are not accepted", null, null);
        }
        var alg = jwt.Alg;
        var kid = string.IsNullOrEmpty(jwt.Kid) ? null : jwt.Kid;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("jwt.alg", alg);
        }
        if (string.IsNullOrEmpty(alg) || !_algorithms.Contains(alg))
        {
            return Refuse(activity, "algorithm not allowed", alg, kid);
        }
        if (jwt.TryGetHeaderValue<object>("crit", out _))
        {
            // RFC 7515 §4.1.11: no extension is understood here, so a token that marks one critical is refused.
            return Refuse(activity, "unsupported critical header", alg, kid);
        }

        var keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        if (keys is null)
        {
            // Never loaded any key (JWKS down since start): the token may be good, so this is 503, not 401.
            activity?.SetStatus(ActivityStatusCode.Error, "signing keys unavailable");
            Log.KeysUnavailable(_logger);
            return AuthenticationResult.Unavailable("signing keys unavailable");
        }
        var parameters = ParametersFor(keys, kid, alg);
        if (parameters is null && kid is not null && !keys.Contains(kid))
        {
            keys = await _keys.RefreshForUnknownKeyAsync(cancellationToken).ConfigureAwait(false);
            parameters = keys is null ? null : ParametersFor(keys, kid, alg);
        }
        if (parameters is null)
        {
            return Refuse(activity, kid is not null && keys is not null && keys.Contains(kid)
                ? "signing key does not match the algorithm" : "unknown signing key", alg, kid);
        }

        var result = await _handler.ValidateTokenAsync(jwt, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Refuse(activity, Describe(result.Exception), alg, kid);
        }

        JsonElement payload;
        try
        {
            payload = JsonSerializer.Deserialize<JsonElement>(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            return Refuse(activity, "malformed token", alg, kid);
        }
        var expires = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc));
        var identity = _mapper.Map(payload, expires, out var failure);
        if (identity is null)
        {
            return Refuse(activity, failure!, alg, kid);
        }
        var success = AuthenticationResult.Success(identity);
        _cache.Set(hash, success, expires + _options.ClockSkew, generation);
        return success;
    }

    /// <summary>The parameters whose signing keys may verify (<paramref name="kid"/>, <paramref name="alg"/>); null when none may.</summary>
    private TokenValidationParameters? ParametersFor(SigningKeySet keys, string? kid, string alg)
    {
        if (kid is not null && !keys.Contains(kid))
        {
            return null;
        }
        return _parametersByKeys.GetValue(keys, static _ => new()).GetOrAdd((kid, alg), static (key, state) =>
        {
            var candidates = state.Keys.Find(key.Kid, key.Alg);
            if (candidates.Length == 0)
            {
                return null;
            }
            var parameters = state.Template.Clone();
            parameters.IssuerSigningKeys = candidates;
            return parameters;
        }, (Keys: keys, Template: _parameters));
    }

    private AuthenticationResult Refuse(Activity? activity, string reason, string? alg, string? kid)
    {
        activity?.SetStatus(ActivityStatusCode.Error, reason);
        Log.TokenRefused(_logger, reason, Printable(alg), Printable(kid));
        return AuthenticationResult.Fail(reason, Challenges.Bearer(reason));
    }

    /// <summary>A refusal reason for a failed validation that helps the caller and names no secret.</summary>
    internal static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenNoExpirationException => "token has no expiry (exp)",
        SecurityTokenInvalidLifetimeException => "invalid token lifetime",
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        // Keys are resolved before the handler runs, so "no key matched" here means no candidate verified the signature.
        SecurityTokenSignatureKeyNotFoundException => "invalid signature",
        SecurityTokenInvalidAlgorithmException => "algorithm not allowed",
        SecurityTokenInvalidSignatureException => "invalid signature",
        SecurityTokenMalformedException => "malformed token",
        _ => "invalid token",
    };

    private static string? Printable(string? value) =>
        value is null ? null : Challenges.Quote(value.Length > 64 ? value[..64] : value);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.AuthenticationFailed, EventName = "AuthenticationFailed", Level = LogLevel.Information,
            Message = "Bearer token refused: {Reason} (alg {Algorithm}, kid {KeyId})")]
        public static partial void TokenRefused(ILogger logger, string reason, string? algorithm, string? keyId);

        [LoggerMessage(EventId = EventIds.KeysUnavailable, EventName = "KeysUnavailable", Level = LogLevel.Warning,
            Message = "Bearer token not checked: no signing keys could be loaded yet; answering 503")]
        public static partial void KeysUnavailable(ILogger logger);
    }
}
