using System.Text.Json;

namespace Heimdall.Core.Federation;

/// <summary>
/// Writes rule groups and alerts, keeping only what a tenant's grant covers (DESIGN §5). A rule is judged by
/// the label set of what it produces: a recording rule's labels plus <c>__name__</c> = its record name; an
/// alerting rule's labels plus <c>__name__="ALERTS"</c> and <c>alertname</c>. Inside a kept alerting rule, each
/// active alert is judged by its own labels plus <c>__name__="ALERTS"</c> and <c>alertstate</c> (the series
/// <c>ALERTS</c> would hold). A group left without rules is dropped. Unrestricted grants see everything.
/// </summary>
internal static class RulesFilter
{
    /// <summary>Writes one rule group (raw JSON) filtered by <paramref name="grant"/>.</summary>
    public static void WriteGroup(Utf8JsonWriter writer, ReadOnlyMemory<byte> raw, IGrantMatcher? grant)
    {
        if (grant is null || grant.IsUnrestricted)
        {
            writer.WriteRawValue(raw.Span, skipInputValidation: true);
            return;
        }
        using var doc = JsonDocument.Parse(raw);
        var group = doc.RootElement;
        var kept = new List<JsonElement>();
        if (group.TryGetProperty("rules", out var rules) && rules.ValueKind == JsonValueKind.Array)
        {
            foreach (var rule in rules.EnumerateArray())
            {
                if (grant.Matches(RuleLabels(rule)))
                {
                    kept.Add(rule);
                }
            }
        }
        if (kept.Count == 0)
        {
            return;
        }
        writer.WriteStartObject();
        foreach (var property in group.EnumerateObject())
        {
            if (property.NameEquals("rules"))
            {
                writer.WriteStartArray("rules");
                foreach (var rule in kept)
                {
                    WriteRule(writer, rule, grant);
                }
                writer.WriteEndArray();
            }
            else
            {
                property.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes one alert (raw JSON) when <paramref name="grant"/> covers it.</summary>
    public static void WriteAlert(Utf8JsonWriter writer, ReadOnlyMemory<byte> raw, IGrantMatcher? grant)
    {
        if (grant is null || grant.IsUnrestricted)
        {
            writer.WriteRawValue(raw.Span, skipInputValidation: true);
            return;
        }
        using var doc = JsonDocument.Parse(raw);
        if (grant.Matches(AlertLabels(doc.RootElement)))
        {
            doc.RootElement.WriteTo(writer);
        }
    }

    /// <summary>The label set a rule is judged by.</summary>
    public static Dictionary<string, string> RuleLabels(JsonElement rule)
    {
        var labels = ReadLabels(rule);
        var name = rule.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
        if (rule.TryGetProperty("type", out var t) && t.ValueEquals("alerting"))
        {
            labels["__name__"] = "ALERTS";
            labels["alertname"] = name;
        }
        else
        {
            labels["__name__"] = name;
        }
        return labels;
    }

    /// <summary>The label set an alert is judged by.</summary>
    public static Dictionary<string, string> AlertLabels(JsonElement alert)
    {
        var labels = ReadLabels(alert);
        labels["__name__"] = "ALERTS";
        if (alert.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String)
        {
            labels["alertstate"] = state.GetString()!;
        }
        return labels;
    }

    private static void WriteRule(Utf8JsonWriter writer, JsonElement rule, IGrantMatcher grant)
    {
        writer.WriteStartObject();
        foreach (var property in rule.EnumerateObject())
        {
            if (property.NameEquals("alerts") && property.Value.ValueKind == JsonValueKind.Array)
            {
                writer.WriteStartArray("alerts");
                foreach (var alert in property.Value.EnumerateArray())
                {
                    if (grant.Matches(AlertLabels(alert)))
                    {
                        alert.WriteTo(writer);
                    }
                }
                writer.WriteEndArray();
            }
            else
            {
                property.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
    }

    private static Dictionary<string, string> ReadLabels(JsonElement element)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in l.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String)
                {
                    labels[p.Name] = p.Value.GetString()!;
                }
            }
        }
        return labels;
    }
}
