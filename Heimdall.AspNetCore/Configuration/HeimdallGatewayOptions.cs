using Heimdall.Core.Federation;

namespace Heimdall.AspNetCore.Configuration;

/// <summary>The gateway's configuration: upstream (<c>mimir</c>), <c>fanout</c>, <c>federation</c> and request <c>limits</c>.</summary>
public sealed record HeimdallGatewayOptions
{
    /// <summary>The <c>mimir</c> section.</summary>
    public UpstreamOptions Upstream { get; init; } = new();

    /// <summary>The <c>fanout</c> section.</summary>
    public FanoutOptions Fanout { get; init; } = new();

    /// <summary>The <c>federation</c> section.</summary>
    public FederationOptions Federation { get; init; } = new();

    /// <summary>The <c>limits</c> section.</summary>
    public RequestLimitsOptions Limits { get; init; } = new();
}
