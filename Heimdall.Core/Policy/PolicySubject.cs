using System.Text.Json.Serialization;

namespace Heimdall.Core.Policy;

/// <summary>Who a policy applies to: a user or a group; <c>"*"</c> as <see cref="Id"/> means anyone of that type.</summary>
public sealed record PolicySubject
{
    /// <summary><c>user</c> or <c>group</c> (see <see cref="PolicySubjectTypes"/>).</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>The user or group ID, or <c>"*"</c>.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }
}

/// <summary>The subject types a policy may name.</summary>
public static class PolicySubjectTypes
{
    /// <summary>A single user, matched against <c>CallerIdentity.User</c>.</summary>
    public const string User = "user";

    /// <summary>A group, matched against <c>CallerIdentity.Groups</c>.</summary>
    public const string Group = "group";
}
