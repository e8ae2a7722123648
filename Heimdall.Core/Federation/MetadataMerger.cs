using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Heimdall.Core.Federation;

/// <summary>
/// Merges tenants' <c>metadata</c> answers (DESIGN §4, §5): per metric, entries without duplicates, no tenant shown;
/// a restricted tenant's metadata keeps only the families one of whose series names the grant can see; then
/// Prometheus' <c>limit</c> and <c>limit_per_metric</c> are applied to the merged result (metrics in name order).
/// </summary>
/// <remarks>
/// Metadata is keyed by the metric family (<c>http_request_duration_seconds</c>) while series carry the sample
/// names (<c>…_bucket</c>, <c>…_sum</c>, <c>…_count</c>); counters appear as <c>foo_total</c> in both with Go clients,
/// as <c>foo</c> in metadata and <c>foo_total</c> in series with OpenMetrics. An entry is visible when any name its
/// type produces is visible; the family name itself always counts (native histograms, gauges, unknown types).
/// </remarks>
internal static class MetadataMerger
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Merges <paramref name="metadata"/>, filtered with the names in <paramref name="names"/>, into <paramref name="output"/>; nothing is written on error.</summary>
    public static MergeResult Merge(IReadOnlyList<TenantResponse> metadata, IReadOnlyList<TenantResponse> names, MetadataPlan plan,
        IBufferWriter<byte> output, IReadOnlyList<string>? extraWarnings = null)
    {
        var visible = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var response in names)
        {
            if (ReadNames(response) is not { } values)
            {
                return MergeResult.BadUpstream($"tenant {response.TenantNames}: invalid metric names from upstream");
            }
            foreach (var tenant in response.Tenants)
            {
                if (!visible.TryGetValue(tenant, out var set))
                {
                    visible[tenant] = set = new HashSet<string>(StringComparer.Ordinal);
                }
                set.UnionWith(values);
            }
        }
        var restricted = plan.RestrictedTenants.ToHashSet(StringComparer.Ordinal);
        var merged = new SortedDictionary<string, List<string>>(LabelSetComparer.Utf8);
        var warnings = new List<string>();
        foreach (var response in metadata)
        {
            HashSet<string>? allowed = null;
            if (response.Tenants.Any(restricted.Contains))
            {
                if (response.Tenants.Count != 1 || !visible.TryGetValue(response.Tenants[0], out allowed))
                {
                    continue; // the names this tenant may see are unknown (its names request failed in a partial result): fail closed
                }
            }
            if (Read(response, allowed, merged, warnings) is { } error)
            {
                return MergeResult.BadUpstream($"tenant {response.TenantNames}: {error}");
            }
        }
        foreach (var w in extraWarnings ?? [])
        {
            if (!warnings.Contains(w))
            {
                warnings.Add(w);
            }
        }
        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteString("status"u8, "success"u8);
        writer.WriteStartObject("data"u8);
        var count = 0;
        foreach (var (metric, entries) in merged)
        {
            if (plan.Limit >= 0 && count >= plan.Limit)
            {
                break;
            }
            count++;
            writer.WriteStartArray(metric);
            var n = plan.LimitPerMetric > 0 ? Math.Min(plan.LimitPerMetric, entries.Count) : entries.Count;
            for (var i = 0; i < n; i++)
            {
                writer.WriteRawValue(entries[i], skipInputValidation: true);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        if (warnings.Count > 0)
        {
            writer.WriteStartArray("warnings"u8);
            foreach (var w in warnings)
            {
                writer.WriteStringValue(w);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.Flush();
        return MergeResult.Success;
    }

    /// <summary>True when an entry of <paramref name="type"/> for <paramref name="family"/> has a series name in <paramref name="names"/>.</summary>
    public static bool IsVisible(string family, string? type, IReadOnlySet<string> names)
    {
        if (names.Contains(family))
        {
            return true;
        }
        string[] suffixes = type switch
        {
            "counter" => ["_total", "_created"],
            "histogram" => ["_bucket", "_sum", "_count", "_created"],
            "gaugehistogram" => ["_bucket", "_gsum", "_gcount"],
            "summary" => ["_sum", "_count", "_created"],
            "info" => ["_info"],
            _ => [],
        };
        foreach (var suffix in suffixes)
        {
            if (names.Contains(family + suffix))
            {
                return true;
            }
        }
        return false;
    }

    private static List<string>? ReadNames(in TenantResponse response)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var status) || status.GetString() != "success"
                || !root.TryGetProperty("data", out var data))
            {
                return null;
            }
            var values = new List<string>();
            if (data.ValueKind == JsonValueKind.Null)
            {
                return values;
            }
            if (data.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            foreach (var v in data.EnumerateArray())
            {
                if (v.ValueKind != JsonValueKind.String)
                {
                    return null;
                }
                values.Add(v.GetString()!);
            }
            return values;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Read(in TenantResponse response, HashSet<string>? allowed, SortedDictionary<string, List<string>> merged, List<string> warnings)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String
                || status.GetString() != "success" || !root.TryGetProperty("data", out var data))
            {
                return "upstream response has no successful data";
            }
            if (data.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                return "metadata is not an object";
            }
            if (data.ValueKind == JsonValueKind.Object)
            {
                foreach (var family in data.EnumerateObject())
                {
                    if (family.Value.ValueKind != JsonValueKind.Array)
                    {
                        return "metadata entries are not a list";
                    }
                    foreach (var entry in family.Value.EnumerateArray())
                    {
                        if (entry.ValueKind != JsonValueKind.Object)
                        {
                            return "a metadata entry is not an object";
                        }
                        var type = entry.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                        if (allowed is not null && !IsVisible(family.Name, type, allowed))
                        {
                            continue;
                        }
                        if (!merged.TryGetValue(family.Name, out var entries))
                        {
                            merged[family.Name] = entries = [];
                        }
                        var raw = entry.GetRawText();
                        if (!entries.Contains(raw))
                        {
                            entries.Add(raw);
                        }
                    }
                }
            }
            if (root.TryGetProperty("warnings", out var w) && w.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in w.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String && item.GetString() is { } text && !warnings.Contains(text))
                    {
                        warnings.Add(text);
                    }
                }
            }
            return null;
        }
        catch (JsonException ex)
        {
            return "invalid JSON from upstream: " + ex.Message;
        }
    }
}
