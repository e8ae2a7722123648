using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Heimdall.Core.Policy;

/// <summary>Source-generated JSON metadata for the policy model (fast snapshot loading, no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccessPolicy))]
[JsonSerializable(typeof(Tenant))]
[JsonSerializable(typeof(List<AccessPolicy>))]
[JsonSerializable(typeof(List<Tenant>))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
