using System.Text;

namespace Heimdall.Core.Federation;

/// <summary>
/// Merges tenants' <c>/federate</c> answers (Prometheus' text exposition format 0.0.4) as Mimir's federation would
/// label them: every series of a single-tenant answer gets <c>__tenant_id__</c> (a label of that name already in
/// the data is kept as <c>original___tenant_id__</c>), each family appears once with its <c>HELP</c> and
/// <c>TYPE</c> line (left out when tenants disagree), families in name order, series in tenant order.
/// </summary>
/// <remarks>
/// Every input is parsed before anything is written: a line that is not a valid sample or comment fails the merge
/// (502 naming the tenant) rather than being passed on half-understood.
/// </remarks>
internal static class FederateMerger
{
    /// <summary>The content type of the merged answer.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly string[] s_suffixes = ["_bucket", "_sum", "_count", "_total", "_created", "_gsum", "_gcount", "_info"];

    /// <summary>
    /// Merges <paramref name="responses"/> into <paramref name="output"/>; with <paramref name="federated"/> (two or more
    /// tenants in the client request) single-tenant answers get the tenant label. Nothing is written on error.
    /// </summary>
    public static MergeResult Merge(IReadOnlyList<TenantResponse> responses, bool federated, StringBuilder output, IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(output);
        var families = new SortedDictionary<string, Family>(StringComparer.Ordinal);
        foreach (var response in responses)
        {
            var tenant = federated && response.Tenants.Count == 1 ? response.Tenants[0] : null;
            if (Read(response, tenant, families) is { } error)
            {
                return MergeResult.BadUpstream($"tenant {response.TenantNames}: invalid /federate answer from upstream: {error}");
            }
        }
        var text = new StringBuilder();
        foreach (var w in warnings ?? [])
        {
            text.Append("# heimdall warning: ").Append(w.ReplaceLineEndings(" ")).Append('\n');
        }
        foreach (var (name, family) in families)
        {
            if (family.Help is { } help && !family.HelpConflict)
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            }
            if (family.Type is { } type && !family.TypeConflict)
            {
                text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            }
            foreach (var line in family.Lines)
            {
                text.Append(line).Append('\n');
            }
        }
        output.Append(text);
        return MergeResult.Success;
    }

    private static string? Read(in TenantResponse response, string? tenant, SortedDictionary<string, Family> families)
    {
        string body;
        try
        {
            body = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(response.Body.Span);
        }
        catch (DecoderFallbackException)
        {
            return "not UTF-8";
        }
        string? current = null;
        var number = 0;
        foreach (var raw in body.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            if (line[0] == '#')
            {
                var parts = line.Split(' ', 4, StringSplitOptions.None);
                if (parts.Length >= 3 && parts[0] == "#" && parts[1] is "HELP" or "TYPE")
                {
                    if (!IsMetricName(parts[2]))
                    {
                        return $"line {number}: bad metric name in {parts[1]}";
                    }
                    current = parts[2];
                    var family = Get(families, current);
                    var value = parts.Length == 4 ? parts[3] : "";
                    if (parts[1] == "HELP")
                    {
                        family.HelpConflict |= family.Help is not null && family.Help != value;
                        family.Help ??= value;
                    }
                    else
                    {
                        family.TypeConflict |= family.Type is not null && family.Type != value;
                        family.Type ??= value;
                    }
                }
                continue; // other comments carry nothing
            }
            if (ParseSample(line, out var name, out var labels, out var rest) is { } error)
            {
                return $"line {number}: {error}";
            }
            var key = current is not null && (name == current || (name.StartsWith(current, StringComparison.Ordinal)
                && s_suffixes.Contains(name[current.Length..], StringComparer.Ordinal))) ? current : name;
            if (tenant is not null)
            {
                for (var i = 0; i < labels.Count; i++)
                {
                    if (labels[i].Name == PrometheusResponseMerger.TenantLabelName)
                    {
                        labels[i] = (PrometheusResponseMerger.OriginalTenantLabelName, labels[i].Value);
                    }
                }
                labels.Add((PrometheusResponseMerger.TenantLabelName, Escape(tenant)));
            }
            labels.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var sample = new StringBuilder(name);
            if (labels.Count > 0)
            {
                sample.Append('{');
                for (var i = 0; i < labels.Count; i++)
                {
                    sample.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"").Append(labels[i].Value).Append('"');
                }
                sample.Append('}');
            }
            sample.Append(' ').Append(rest);
            Get(families, key).Lines.Add(sample.ToString());
        }
        return null;
    }

    /// <summary>Splits <c>name{a="x",b="y"} value [timestamp]</c>; label values stay in their escaped form.</summary>
    private static string? ParseSample(string line, out string name, out List<(string Name, string Value)> labels, out string rest)
    {
        labels = [];
        rest = "";
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' ' or '\t'))
        {
            i++;
        }
        name = line[..i];
        if (!IsMetricName(name))
        {
            return "bad metric name";
        }
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                while (i < line.Length && line[i] is ' ' or '\t')
                {
                    i++;
                }
                if (i < line.Length && line[i] == '}')
                {
                    i++;
                    break;
                }
                var start = i;
                while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_'))
                {
                    i++;
                }
                var labelName = line[start..i];
                if (labelName.Length == 0 || char.IsAsciiDigit(labelName[0]) || i + 1 >= line.Length || line[i] != '=' || line[i + 1] != '"')
                {
                    return "bad label";
                }
                i += 2;
                start = i;
                while (i < line.Length && line[i] != '"')
                {
                    i += line[i] == '\\' ? 2 : 1;
                }
                if (i >= line.Length)
                {
                    return "unterminated label value";
                }
                labels.Add((labelName, line[start..i]));
                i++;
                while (i < line.Length && line[i] is ' ' or '\t')
                {
                    i++;
                }
                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
                else if (i >= line.Length || line[i] != '}')
                {
                    return "bad label list";
                }
            }
        }
        if (i >= line.Length || line[i] is not (' ' or '\t'))
        {
            return "no value";
        }
        rest = line[i..].Trim();
        return rest.Length == 0 ? "no value" : null;
    }

    private static bool IsMetricName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
            {
                return false;
            }
        }
        return true;
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    private static Family Get(SortedDictionary<string, Family> families, string name)
    {
        if (!families.TryGetValue(name, out var family))
        {
            families[name] = family = new Family();
        }
        return family;
    }

    private sealed class Family
    {
        public string? Help;
        public string? Type;
        public bool HelpConflict;
        public bool TypeConflict;
        public readonly List<string> Lines = [];
    }
}
