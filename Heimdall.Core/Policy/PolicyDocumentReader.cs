using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Heimdall.Core.Policy;

/// <summary>
/// Reads policy files in JSON or YAML: one policy object, an array of policies, or an object with
/// <c>policies</c> and optional <c>tenants</c> (an array of <c>{"id","name"}</c> or of IDs, or an object
/// from ID to name or to <c>{"name"}</c>). Unknown fields are errors, so a misspelt <c>filter</c> cannot
/// silently turn a restricted grant into an unrestricted one.
/// </summary>
public static class PolicyDocumentReader
{
    private static readonly JsonDocumentOptions s_jsonOptions = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    /// <summary>
    /// Parses <paramref name="text"/> (JSON when it starts with <c>{</c> or <c>[</c>, else YAML). Does not
    /// validate semantics; see <see cref="PolicyValidator"/>. The document is null only when the text is not
    /// JSON or YAML at all; with shape errors (wrong types, unknown fields) it is the best-effort reading, so
    /// that validating it too reports every error at once. Use it only when <c>Errors</c> is empty.
    /// </summary>
    public static (PolicyDocument? Document, IReadOnlyList<PolicyValidationError> Errors) Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty)
        {
            return (null, [PolicyValidationError.ForDocument("", "the input is empty")]);
        }
        JsonElement root;
        if (trimmed[0] is '{' or '[')
        {
            try
            {
                using var doc = JsonDocument.Parse(text, s_jsonOptions);
                root = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                return (null, [PolicyValidationError.ForDocument("", "invalid JSON: " + e.Message)]);
            }
        }
        else
        {
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(text));
                if (stream.Documents.Count != 1)
                {
                    return (null, [PolicyValidationError.ForDocument("", $"expected one YAML document, found {stream.Documents.Count}")]);
                }
                root = JsonSerializer.SerializeToElement(ToJson(stream.Documents[0].RootNode), PolicyJsonContext.Default.JsonNode);
            }
            catch (YamlException e)
            {
                return (null, [PolicyValidationError.ForDocument("", $"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}")]);
            }
        }
        var errors = new List<PolicyValidationError>();
        var document = Map(root, errors);
        return (document, errors);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new YamlException(node.Start, node.End, "anchors and aliases are not supported in policy files"),
    };

    private static PolicyDocument Map(JsonElement root, List<PolicyValidationError> errors)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return new PolicyDocument { Policies = MapPolicies(root, errors) };
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(PolicyValidationError.ForDocument("", "expected a policy, an array of policies or an object with \"policies\""));
            return new PolicyDocument();
        }
        if (!root.TryGetProperty("policies", out _) && !root.TryGetProperty("tenants", out _))
        {
            return new PolicyDocument { Policies = [MapPolicy(root, 0, errors)] };
        }
        IReadOnlyList<Tenant> tenants = [];
        IReadOnlyList<AccessPolicy> policies = [];
        foreach (var prop in root.EnumerateObject())
        {
            switch (prop.Name)
            {
                case "policies" when prop.Value.ValueKind == JsonValueKind.Array:
                    policies = MapPolicies(prop.Value, errors);
                    break;
                case "policies" when prop.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "tenants":
                    tenants = MapTenants(prop.Value, errors);
                    break;
                case "policies":
                    errors.Add(PolicyValidationError.ForDocument("policies", "must be an array of policies"));
                    break;
                default:
                    errors.Add(PolicyValidationError.ForDocument(prop.Name, "unknown field; expected \"tenants\" and \"policies\""));
                    break;
            }
        }
        return new PolicyDocument { Tenants = tenants, Policies = policies };
    }

    private static List<AccessPolicy> MapPolicies(JsonElement array, List<PolicyValidationError> errors)
    {
        var list = new List<AccessPolicy>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            list.Add(MapPolicy(item, i++, errors));
        }
        return list;
    }

    private static List<Tenant> MapTenants(JsonElement value, List<PolicyValidationError> errors)
    {
        var list = new List<Tenant>();
        if (value.ValueKind == JsonValueKind.Null)
        {
            return list;
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var prop in value.EnumerateObject())
            {
                var name = prop.Value.ValueKind switch
                {
                    JsonValueKind.String => prop.Value.GetString(),
                    JsonValueKind.Null => "",
                    JsonValueKind.Object => MapTenant(prop.Value, prop.Name, prop.Name, errors, idFromKey: true).Name,
                    _ => null,
                };
                if (name is null)
                {
                    errors.Add(PolicyValidationError.ForTenant(prop.Name, "", "must be a name or an object with \"name\""));
                }
                list.Add(new Tenant { Id = prop.Name, Name = name ?? "" });
            }
            return list;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(PolicyValidationError.ForDocument("tenants", "must be an array of tenants or an object from tenant ID to name"));
            return list;
        }
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var label = $"#{i++}";
            if (item.ValueKind == JsonValueKind.String)
            {
                list.Add(new Tenant { Id = item.GetString()!, Name = "" });
            }
            else if (item.ValueKind == JsonValueKind.Object)
            {
                list.Add(MapTenant(item, label, null, errors, idFromKey: false));
            }
            else
            {
                errors.Add(PolicyValidationError.ForTenant(label, "", "must be a tenant ID or an object with \"id\" and \"name\""));
            }
        }
        return list;
    }

    private static Tenant MapTenant(JsonElement obj, string label, string? id, List<PolicyValidationError> errors, bool idFromKey)
    {
        string? name = "";
        if (!idFromKey && obj.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String)
        {
            label = idElement.GetString()!.Length > 0 ? idElement.GetString()! : label;
        }
        foreach (var prop in obj.EnumerateObject())
        {
            switch (prop.Name)
            {
                case "id" when !idFromKey:
                    id = ReadString(prop.Value, () => errors.Add(PolicyValidationError.ForTenant(label, "id", "must be a string")));
                    break;
                case "name":
                    name = prop.Value.ValueKind == JsonValueKind.Null ? "" :
                        ReadString(prop.Value, () => errors.Add(PolicyValidationError.ForTenant(label, "name", "must be a string")));
                    break;
                default:
                    errors.Add(PolicyValidationError.ForTenant(label, prop.Name, "unknown field; a tenant has \"id\" and \"name\""));
                    break;
            }
        }
        if (id is null)
        {
            errors.Add(PolicyValidationError.ForTenant(label, "id", "is required"));
        }
        return new Tenant { Id = id ?? "", Name = name ?? "" };
    }

    private static AccessPolicy MapPolicy(JsonElement obj, int index, List<PolicyValidationError> errors)
    {
        var label = $"#{index}";
        if (obj.ValueKind != JsonValueKind.Object)
        {
            errors.Add(PolicyValidationError.ForPolicy(label, "", "must be an object"));
            return new AccessPolicy { Name = "", Effect = "" };
        }
        if (obj.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString()!.Length > 0)
        {
            label = n.GetString()!;
        }
        void Add(string field, string message) => errors.Add(PolicyValidationError.ForPolicy(label, field, message));

        string? name = null, effect = null, description = null;
        List<PolicySubject> subjects = [];
        List<string> actions = [], filters = [], tenants = [], resources = [];
        foreach (var prop in obj.EnumerateObject())
        {
            var v = prop.Value;
            switch (prop.Name)
            {
                case "name": name = ReadString(v, () => Add("name", "must be a string")); break;
                case "effect": effect = ReadString(v, () => Add("effect", "must be a string")); break;
                case "description":
                    description = v.ValueKind == JsonValueKind.Null ? null : ReadString(v, () => Add("description", "must be a string"));
                    break;
                case "subjects": subjects = ReadSubjects(v, Add); break;
                case "actions": actions = ReadStrings(v, "actions", Add); break;
                case "filters": filters = ReadStrings(v, "filters", Add); break;
                case "scope":
                    if (v.ValueKind != JsonValueKind.Object)
                    {
                        Add("scope", "must be an object with \"tenants\" and \"resources\"");
                        break;
                    }
                    foreach (var sp in v.EnumerateObject())
                    {
                        switch (sp.Name)
                        {
                            case "tenants": tenants = ReadStrings(sp.Value, "scope.tenants", Add); break;
                            case "resources": resources = ReadStrings(sp.Value, "scope.resources", Add); break;
                            default: Add("scope." + sp.Name, "unknown field; a scope has \"tenants\" and \"resources\""); break;
                        }
                    }
                    break;
                default:
                    Add(prop.Name, "unknown field; a policy has name, description, effect, subjects, actions, scope and filters");
                    break;
            }
        }
        if (name is null)
        {
            Add("name", "is required");
        }
        if (effect is null)
        {
            Add("effect", "is required");
        }
        return new AccessPolicy
        {
            Name = name ?? "",
            Description = description,
            Effect = effect ?? "",
            Subjects = subjects,
            Actions = actions,
            Scope = new PolicyScope { Tenants = tenants, Resources = resources },
            Filters = filters,
        };
    }

    private static List<PolicySubject> ReadSubjects(JsonElement v, Action<string, string> add)
    {
        var list = new List<PolicySubject>();
        if (v.ValueKind != JsonValueKind.Array)
        {
            add("subjects", "must be an array of {\"type\", \"id\"}");
            return list;
        }
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            var field = $"subjects[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                add(field, "must be an object with \"type\" and \"id\"");
                continue;
            }
            string? type = null, id = null;
            foreach (var prop in item.EnumerateObject())
            {
                switch (prop.Name)
                {
                    case "type": type = ReadString(prop.Value, () => add(field + ".type", "must be a string")); break;
                    case "id": id = ReadString(prop.Value, () => add(field + ".id", "must be a string")); break;
                    default: add(field + "." + prop.Name, "unknown field; a subject has \"type\" and \"id\""); break;
                }
            }
            if (type is null)
            {
                add(field + ".type", "is required");
            }
            if (id is null)
            {
                add(field + ".id", "is required");
            }
            list.Add(new PolicySubject { Type = type ?? "", Id = id ?? "" });
        }
        return list;
    }

    private static List<string> ReadStrings(JsonElement v, string field, Action<string, string> add)
    {
        var list = new List<string>();
        if (v.ValueKind == JsonValueKind.Null)
        {
            return list;
        }
        if (v.ValueKind != JsonValueKind.Array)
        {
            add(field, "must be an array of strings");
            return list;
        }
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                list.Add(item.GetString()!);
            }
            else
            {
                add($"{field}[{i}]", "must be a string");
            }
            i++;
        }
        return list;
    }

    private static string? ReadString(JsonElement v, Action onError)
    {
        if (v.ValueKind == JsonValueKind.String)
        {
            return v.GetString();
        }
        onError();
        return null;
    }
}
