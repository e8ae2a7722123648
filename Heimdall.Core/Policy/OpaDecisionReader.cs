using System.Text.Json;

namespace Heimdall.Core.Policy;

/// <summary>
/// Reads OPA's answer to <c>POST /v1/data/heimdall/authz/decision</c>:
/// <c>{"result": {"&lt;tenant&gt;": {"allow": bool, "filters": [[string, ...], ...]}}}</c>. Anything else, a missing
/// tenant included, is an error: the caller fails closed.
/// </summary>
internal static class OpaDecisionReader
{
    /// <summary>Parses <paramref name="body"/>; returns the decisions or sets <paramref name="error"/>.</summary>
    public static Dictionary<string, TenantDecision>? Read(ReadOnlySpan<byte> body, IReadOnlyList<string> tenants, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            error = "OPA answered with malformed JSON: " + e.Message;
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "OPA answered with a JSON " + root.ValueKind.ToString().ToLowerInvariant() + ", not an object";
                return null;
            }
            if (!root.TryGetProperty("result", out var result))
            {
                error = "OPA has no decision at data.heimdall.authz.decision (undefined): is the Heimdall bundle loaded?";
                return null;
            }
            if (result.ValueKind != JsonValueKind.Object)
            {
                error = "OPA's decision is not an object keyed by tenant";
                return null;
            }
            var decisions = new Dictionary<string, TenantDecision>(tenants.Count, StringComparer.Ordinal);
            foreach (var tenant in tenants)
            {
                if (!result.TryGetProperty(tenant, out var element))
                {
                    error = $"OPA's decision has no entry for tenant \"{tenant}\"";
                    return null;
                }
                var decision = ReadTenant(element, out error);
                if (decision is null)
                {
                    error = $"OPA's decision for tenant \"{tenant}\" is malformed: {error}";
                    return null;
                }
                decisions[tenant] = decision;
            }
            error = null;
            return decisions;
        }
    }

    private static TenantDecision? ReadTenant(JsonElement element, out string? error)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "not an object";
            return null;
        }
        if (!element.TryGetProperty("allow", out var allow) || allow.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = "\"allow\" is missing or not a boolean";
            return null;
        }
        if (allow.ValueKind == JsonValueKind.False)
        {
            error = null;
            return TenantDecision.Denied;
        }
        if (!element.TryGetProperty("filters", out var filters) || filters.ValueKind != JsonValueKind.Array)
        {
            error = "\"filters\" is missing or not an array";
            return null;
        }
        var alternatives = new List<IReadOnlyList<string>>(filters.GetArrayLength());
        var unrestricted = false;
        foreach (var alternative in filters.EnumerateArray())
        {
            if (alternative.ValueKind != JsonValueKind.Array)
            {
                error = "an alternative in \"filters\" is not an array";
                return null;
            }
            var matchers = new string[alternative.GetArrayLength()];
            var i = 0;
            foreach (var matcher in alternative.EnumerateArray())
            {
                if (matcher.ValueKind != JsonValueKind.String)
                {
                    error = "a matcher in \"filters\" is not a string";
                    return null;
                }
                matchers[i++] = matcher.GetString()!;
            }
            unrestricted |= matchers.Length == 0;
            alternatives.Add(matchers);
        }
        if (alternatives.Count == 0)
        {
            error = "allowed with no filter alternative (unrestricted is [[]])";
            return null;
        }
        error = null;
        return unrestricted ? TenantDecision.Unrestricted : new TenantDecision { Allow = true, Filters = alternatives };
    }
}
