namespace Heimdall.Core.Federation;

/// <summary>Credentials Heimdall sends upstream (<c>mimir.auth</c>). The caller's own credentials are never forwarded.</summary>
public sealed record UpstreamAuthOptions
{
    /// <summary><c>mimir.auth.type</c>: <c>none</c> (default), <c>bearer</c> or <c>basic</c>.</summary>
    public UpstreamAuthType Type { get; init; } = UpstreamAuthType.None;

    /// <summary><c>mimir.auth.token</c>: the bearer token.</summary>
    public string? Token { get; init; }

    /// <summary><c>mimir.auth.username</c>: the basic-auth user.</summary>
    public string? Username { get; init; }

    /// <summary><c>mimir.auth.password</c>: the basic-auth password.</summary>
    public string? Password { get; init; }
}
