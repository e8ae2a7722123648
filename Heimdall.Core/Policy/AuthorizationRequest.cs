namespace Heimdall.Core.Policy;

/// <summary>One authorization question for all of a request's tenants (DESIGN §3).</summary>
public sealed record AuthorizationRequest
{
    /// <summary>The caller's user ID.</summary>
    public required string User { get; init; }

    /// <summary>The caller's groups.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>The tenants asked for, deduplicated.</summary>
    public required IReadOnlyList<string> Tenants { get; init; }

    /// <summary>The action (see <see cref="PolicyActions"/>).</summary>
    public required string Action { get; init; }

    /// <summary>The resource (see <see cref="PolicyResources"/>).</summary>
    public string Resource { get; init; } = PolicyResources.Metrics;
}
