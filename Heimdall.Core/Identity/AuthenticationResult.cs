namespace Heimdall.Core.Identity;

/// <summary>The outcome of authentication: an identity, or a precise refusal (401).</summary>
public sealed record AuthenticationResult
{
    /// <summary>The caller; null when refused.</summary>
    public CallerIdentity? Identity { get; init; }

    /// <summary>Why the credential was refused (safe to show: names no secret). Null on success.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The value for <c>WWW-Authenticate</c> on refusal, e.g. <c>Bearer error="invalid_token", error_description="token expired"</c>.</summary>
    public string? Challenge { get; init; }

    /// <summary>True when <see cref="Identity"/> is set.</summary>
    public bool Succeeded => Identity is not null;

    /// <summary>A success.</summary>
    public static AuthenticationResult Success(CallerIdentity identity) => new() { Identity = identity };

    /// <summary>A refusal.</summary>
    public static AuthenticationResult Fail(string reason, string challenge) => new() { FailureReason = reason, Challenge = challenge };
}
