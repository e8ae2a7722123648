namespace Heimdall.Core.Identity;

/// <summary>
/// The outcome of authentication: an identity, a precise refusal (401), or — when something the check needs, such as
/// the JWKS, cannot be reached — an unavailable verdict (503), never a silent pass.
/// </summary>
public sealed record AuthenticationResult
{
    /// <summary>The caller; null when refused.</summary>
    public CallerIdentity? Identity { get; init; }

    /// <summary>Why the credential was refused (safe to show: names no secret). Null on success.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The value for <c>WWW-Authenticate</c> on refusal, e.g. <c>Bearer error="invalid_token", error_description="token expired"</c>.</summary>
    public string? Challenge { get; init; }

    /// <summary>
    /// True when the credential could not be checked because a dependency of the check is down (no signing keys could
    /// ever be loaded): the request is refused with 503 rather than 401, since the credential may well be good.
    /// </summary>
    public bool DependencyUnavailable { get; init; }

    /// <summary>True when <see cref="Identity"/> is set.</summary>
    public bool Succeeded => Identity is not null;

    /// <summary>A success.</summary>
    public static AuthenticationResult Success(CallerIdentity identity) => new() { Identity = identity };

    /// <summary>A refusal.</summary>
    public static AuthenticationResult Fail(string reason, string challenge) => new() { FailureReason = reason, Challenge = challenge };

    /// <summary>A refusal because a dependency of the check is down (see <see cref="DependencyUnavailable"/>).</summary>
    public static AuthenticationResult Unavailable(string reason) => new() { FailureReason = reason, DependencyUnavailable = true };
}
