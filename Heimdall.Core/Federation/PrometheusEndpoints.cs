using System.Collections.Frozen;
using Heimdall.Core.Policy;

namespace Heimdall.Core.Federation;

/// <summary>
/// The allow-list of DESIGN §5 as data. Served under <c>/prometheus/api/v1/…</c> and <c>/api/v1/…</c>; any other
/// path is refused (404), a listed path with another method too (405). Parameters follow Prometheus' and Mimir's
/// HTTP API documentation; any parameter not listed for an endpoint is refused rather than forwarded.
/// </summary>
internal static class PrometheusEndpoints
{
    /// <summary>The route prefixes the API is served under.</summary>
    public static IReadOnlyList<string> Prefixes { get; } = ["/prometheus/api/v1/", "/api/v1/"];

    private static readonly FrozenSet<string> s_get = Set("GET");
    private static readonly FrozenSet<string> s_getPost = Set("GET", "POST");

    /// <summary>Every endpoint.</summary>
    public static IReadOnlyList<PrometheusEndpoint> All { get; } =
    [
        new()
        {
            Path = "query", Methods = s_getPost, Action = PolicyActions.Read, Treatment = EndpointTreatment.RewriteQuery, UpstreamMethod = "POST",
            SingleParameters = Set("query", "time", "timeout", "limit", "stats", "lookback_delta"), RequiredParameters = Set("query"),
        },
        new()
        {
            Path = "query_range", Methods = s_getPost, Action = PolicyActions.Read, Treatment = EndpointTreatment.RewriteQuery, UpstreamMethod = "POST",
            SingleParameters = Set("query", "start", "end", "step", "timeout", "limit", "stats", "lookback_delta"),
            RequiredParameters = Set("query", "start", "end", "step"),
        },
        new()
        {
            Path = "query_exemplars", Methods = s_getPost, Action = PolicyActions.Read, Treatment = EndpointTreatment.RewriteQuery, UpstreamMethod = "POST",
            SingleParameters = Set("query", "start", "end"), RequiredParameters = Set("query"),
        },
        new()
        {
            Path = "series", Methods = s_getPost, Action = PolicyActions.Read, Treatment = EndpointTreatment.RewriteRequiredMatchers, UpstreamMethod = "POST",
            SingleParameters = Set("start", "end", "limit"), MultiParameters = Set("match[]"), RequiredParameters = Set("match[]"),
        },
        new()
        {
            Path = "labels", Methods = s_getPost, Action = PolicyActions.Read, Treatment = EndpointTreatment.RewriteOptionalMatchers, UpstreamMethod = "POST",
            SingleParameters = Set("start", "end", "limit"), MultiParameters = Set("match[]"),
        },
        new()
        {
            // Prometheus and Mimir serve label values with GET only.
            Path = "label/{name}/values", Methods = s_get, Action = PolicyActions.Read, Treatment = EndpointTreatment.RewriteOptionalMatchers,
            SingleParameters = Set("start", "end", "limit"), MultiParameters = Set("match[]"),
        },
        new()
        {
            Path = "metadata", Methods = s_get, Action = PolicyActions.Read, Treatment = EndpointTreatment.Metadata,
            SingleParameters = Set("limit", "limit_per_metric", "metric"),
        },
        new()
        {
            Path = "rules", Methods = s_get, Action = PolicyActions.RulesRead, Treatment = EndpointTreatment.FilterRules,
            SingleParameters = Set("type", "exclude_alerts", "group_limit", "group_next_token"),
            MultiParameters = Set("rule_name[]", "rule_group[]", "file[]", "match[]"),
        },
        new() { Path = "alerts", Methods = s_get, Action = PolicyActions.AlertsRead, Treatment = EndpointTreatment.FilterAlerts },
        new()
        {
            Path = "cardinality/label_names", Methods = s_getPost, Action = PolicyActions.Read, Treatment = EndpointTreatment.UnrestrictedOnly,
            SingleParameters = Set("selector", "limit", "count_method"),
        },
        new()
        {
            Path = "cardinality/label_values", Methods = s_getPost, Action = PolicyActions.Read, Treatment = EndpointTreatment.UnrestrictedOnly,
            SingleParameters = Set("selector", "limit", "count_method"), MultiParameters = Set("label_names[]"), RequiredParameters = Set("label_names[]"),
        },
        new()
        {
            Path = "status/tsdb", Methods = s_get, Action = PolicyActions.Read, Treatment = EndpointTreatment.UnrestrictedOnly,
            SingleParameters = Set("limit"),
        },
        new()
        {
            Path = "format_query", Methods = s_getPost, Action = PolicyActions.Read, Treatment = EndpointTreatment.NoDataAccess,
            SingleParameters = Set("query"), RequiredParameters = Set("query"),
        },
        new()
        {
            Path = "parse_query", Methods = s_getPost, Action = PolicyActions.Read, Treatment = EndpointTreatment.NoDataAccess,
            SingleParameters = Set("query"), RequiredParameters = Set("query"),
        },
        new() { Path = "status/buildinfo", Methods = s_get, Action = PolicyActions.Read, Treatment = EndpointTreatment.NoDataAccess },
        new() { Path = "push", Methods = Set("POST"), Action = PolicyActions.Write, Treatment = EndpointTreatment.RemoteWrite, UpstreamMethod = "POST" },
        new()
        {
            Path = "/federate", Methods = s_get, Action = PolicyActions.Read, Treatment = EndpointTreatment.Federate,
            MultiParameters = Set("match[]"), RequiredParameters = Set("match[]"),
        },
    ];

    private static readonly FrozenDictionary<string, PrometheusEndpoint> s_byPath =
        All.Where(e => !e.HasLabelName).ToFrozenDictionary(e => e.Path, StringComparer.Ordinal);

    private static readonly PrometheusEndpoint s_labelValues = All.Single(e => e.HasLabelName);

    /// <summary>
    /// Finds the endpoint for a request path (<c>/api/v1/query</c>, <c>/prometheus/api/v1/label/job/values</c>,
    /// <c>/federate</c>). Null when the path is not in the allow-list.
    /// </summary>
    public static PrometheusEndpoint? Find(string path, out string? labelName)
    {
        labelName = null;
        if (path is "/federate" or "/prometheus/federate")
        {
            return s_byPath["/federate"];
        }
        foreach (var prefix in Prefixes)
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            var rest = path[prefix.Length..];
            if (s_byPath.TryGetValue(rest, out var endpoint) && !rest.StartsWith('/'))
            {
                return endpoint;
            }
            // label/<name>/values: exactly one segment, a valid label name.
            if (rest.StartsWith("label/", StringComparison.Ordinal) && rest.EndsWith("/values", StringComparison.Ordinal))
            {
                var name = rest["label/".Length..^"/values".Length];
                if (IsLegacyLabelName(name))
                {
                    labelName = name;
                    return s_labelValues;
                }
            }
            return null;
        }
        return null;
    }

    /// <summary>True for <c>[a-zA-Z_][a-zA-Z0-9_]*</c> (UTF-8 names travel in their <c>U__</c> escaped form, which matches too).</summary>
    public static bool IsLegacyLabelName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }

    private static FrozenSet<string> Set(params string[] items) => items.ToFrozenSet(StringComparer.Ordinal);
}
