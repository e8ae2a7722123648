using System.Text.Json.Serialization;

namespace Heimdall.Core.Policy;

/// <summary>
/// One access policy (DESIGN §3). The JSON shape is the one policy files written for the Go Heimdall use:
/// <c>{"name", "effect", "subjects", "actions", "scope": {"tenants", "resources"}, "filters"}</c>.
/// </summary>
public sealed record AccessPolicy
{
    /// <summary>Unique name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Optional free text.</summary>
    [JsonPropertyName("description")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    /// <summary><c>allow</c> or <c>deny</c> (see <see cref="PolicyEffects"/>).</summary>
    [JsonPropertyName("effect")]
    public required string Effect { get; init; }

    /// <summary>Users and groups the policy applies to.</summary>
    [JsonPropertyName("subjects")]
    public IReadOnlyList<PolicySubject> Subjects { get; init; } = [];

    /// <summary>Actions (see <see cref="PolicyActions"/>), or <c>"*"</c>.</summary>
    [JsonPropertyName("actions")]
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>Tenants and resources.</summary>
    [JsonPropertyName("scope")]
    public PolicyScope Scope { get; init; } = new();

    /// <summary>PromQL label matchers (<c>env="prod"</c>), ANDed. Empty: unrestricted. Deny policies have none.</summary>
    [JsonPropertyName("filters")]
    public IReadOnlyList<string> Filters { get; init; } = [];
}

/// <summary>Policy effects.</summary>
public static class PolicyEffects
{
    /// <summary>Grants access, restricted by the policy's filters.</summary>
    public const string Allow = "allow";

    /// <summary>Refuses access; overrides every allow.</summary>
    public const string Deny = "deny";
}
