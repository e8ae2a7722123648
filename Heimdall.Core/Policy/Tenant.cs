using System.Text.Json.Serialization;

namespace Heimdall.Core.Policy;

/// <summary>A Mimir tenant (the value callers put in <c>X-Scope-OrgID</c>).</summary>
public sealed record Tenant
{
    /// <summary>The tenant ID, valid by Mimir's rules (at most 150 bytes of <c>[a-zA-Z0-9!-_.*'()]</c>, not <c>.</c> or <c>..</c>).</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>A human-readable name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";
}
