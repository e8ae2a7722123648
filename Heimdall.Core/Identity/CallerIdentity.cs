using System.Text.Json;

namespace Heimdall.Core.Identity;

/// <summary>Who is calling: the result of successful authentication.</summary>
public sealed record CallerIdentity
{
    /// <summary>The user ID (from the mapped user claim, or the basic-auth user name).</summary>
    public required string User { get; init; }

    /// <summary>The caller's groups.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>
    /// Tenants the credential itself restricts the caller to (from tenant claims); null when the credential
    /// carries no such restriction.
    /// </summary>
    public IReadOnlyList<string>? Tenants { get; init; }

    /// <summary>All claims of the token, by name (empty for basic auth).</summary>
    public IReadOnlyDictionary<string, JsonElement> Claims { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>How the caller authenticated: <c>jwt</c>, <c>basic</c> or <c>static</c>.</summary>
    public string Method { get; init; } = "jwt";

    /// <summary>When the credential stops being valid, if it expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
