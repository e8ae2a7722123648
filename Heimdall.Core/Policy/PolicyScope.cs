using System.Text.Json.Serialization;

namespace Heimdall.Core.Policy;

/// <summary>Where a policy applies: tenants and resources; <c>"*"</c> means any.</summary>
public sealed record PolicyScope
{
    /// <summary>Tenant IDs, or <c>"*"</c>.</summary>
    [JsonPropertyName("tenants")]
    public IReadOnlyList<string> Tenants { get; init; } = [];

    /// <summary>Resources (<c>metrics</c>; others reserved), or <c>"*"</c>.</summary>
    [JsonPropertyName("resources")]
    public IReadOnlyList<string> Resources { get; init; } = [];
}
