using System.Text.Json;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Policy;

namespace Heimdall.Core.Federation;

/// <summary>
/// Plans the upstream requests of one authorized client request (DESIGN §4, §5): groups tenants by strategy,
/// rewrites the <c>query</c> or every <c>match[]</c> for each group from its own parameter copy, and decides
/// how the answers combine.
/// </summary>
internal sealed class RequestPlanner(IQueryRewriter rewriter, FederationOptions federation, Func<string, bool>? hasOwnUpstream = null)
{
    /// <summary>Selects every series; rewritten into the grant when <c>labels</c>/<c>label values</c> come without <c>match[]</c>.</summary>
    public const string AllSeriesSelector = "{__name__=~\".+\"}";

    private readonly Func<string, bool> _hasOwnUpstream = hasOwnUpstream ?? (static _ => false);

    /// <summary>The strategy in use.</summary>
    public FederationStrategy Strategy => federation.Strategy;

    /// <summary>Plans <paramref name="endpoint"/> with <paramref name="parameters"/> for the authorized tenants.</summary>
    public RequestPlan Plan(PrometheusEndpoint endpoint, string? labelName, PrometheusRequestParameters parameters, TenantAuthorization authorization)
    {
        var tenants = authorization.Tenants;
        var decisions = authorization.Decisions;
        switch (endpoint.Treatment)
        {
            case EndpointTreatment.RemoteWrite:
                return RequestPlan.Fail(500, "remote write is not planned here");
            case EndpointTreatment.NoDataAccess:
                return new RequestPlan { Requests = [Request(endpoint, labelName, [tenants[0]], parameters)], PassThrough = true };
            case EndpointTreatment.UnrestrictedOnly:
                if (tenants.Count != 1)
                {
                    return RequestPlan.Fail(400, $"{endpoint.Path} takes exactly one tenant");
                }
                return decisions[tenants[0]].IsUnrestricted
                    ? new RequestPlan { Requests = [Request(endpoint, labelName, tenants, parameters)], PassThrough = true }
                    : RequestPlan.Fail(403, $"{endpoint.Path} needs unrestricted access to tenant {tenants[0]}");
            case EndpointTreatment.FilterRules or EndpointTreatment.FilterAlerts:
                return PlanRules(endpoint, parameters, authorization);
            case EndpointTreatment.Metadata:
                if (tenants.Any(t => !decisions[t].IsUnrestricted))
                {
                    // Needs the metric names under the grant first (label values of __name__); not planned yet: fail closed.
                    return RequestPlan.Fail(403, "metadata needs unrestricted access to every tenant");
                }
                return Finish(endpoint, [.. Groups(authorization).Select(g => Request(endpoint, labelName, g, parameters))], ResponseKind.Metadata);
        }

        if (labelName == PrometheusResponseMerger.TenantLabelName && tenants.Count >= 2)
        {
            // Mimir answers __tenant_id__ values from the header's tenants.
            return new RequestPlan { LocalResponse = JsonSerializer.Serialize(new { status = "success", data = tenants.Order(LabelSetComparer.Utf8).ToArray() }) };
        }

        // LabelInjector opens the rewrite.Query span itself.
        var requests = new List<UpstreamRequest>();
        var groups = Groups(authorization);
        if (endpoint.Path == "query" && groups.Count > 1 && parameters.Get("time") is null)
        {
            // One evaluation time for every tenant, as one federated Mimir query has; not each upstream's own "now".
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            parameters = parameters.With("time", now.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var group in groups)
        {
            var context = new QueryRewriteContext { Tenants = group, RequestTenants = tenants, Decisions = decisions, Strategy = federation.Strategy };
            var groupLabel = labelName;
            if (labelName == PrometheusResponseMerger.OriginalTenantLabelName && group.Count == 1 && tenants.Count >= 2)
            {
                groupLabel = PrometheusResponseMerger.TenantLabelName; // the data's own label, renamed in the federated view
            }
            if (endpoint.Treatment == EndpointTreatment.RewriteQuery)
            {
                var rewritten = rewriter.RewriteQuery(parameters.Get("query")!, context);
                if (rewritten.Error is not null)
                {
                    return RequestPlan.Fail(rewritten.StatusCode, rewritten.Error);
                }
                requests.Add(Request(endpoint, groupLabel, group, parameters.With("query", rewritten.Query!)));
                continue;
            }
            var selectors = parameters.GetAll("match[]");
            if (selectors.Count == 0 && group.Any(t => !decisions[t].IsUnrestricted))
            {
                selectors = [AllSeriesSelector];
            }
            var output = new List<string>();
            foreach (var selector in selectors)
            {
                var rewritten = rewriter.RewriteSelector(selector, context);
                if (rewritten.Error is not null)
                {
                    return RequestPlan.Fail(rewritten.StatusCode, rewritten.Error);
                }
                output.AddRange(rewritten.Selectors!);
            }
            if (selectors.Count > 0 && output.Count == 0)
            {
                continue; // nothing this group may see matches: no upstream call
            }
            requests.Add(Request(endpoint, groupLabel, group, parameters.With("match[]", output.Distinct(StringComparer.Ordinal))));
        }

        var kind = endpoint.Path switch
        {
            "query" or "query_range" => ResponseKind.Query,
            "query_exemplars" => ResponseKind.Exemplars,
            "series" => ResponseKind.Series,
            "labels" => ResponseKind.LabelNames,
            "/federate" => (ResponseKind?)null,
            _ => ResponseKind.LabelValues,
        };
        if (requests.Count == 0)
        {
            return new RequestPlan { LocalResponse = kind == ResponseKind.Series || kind == ResponseKind.LabelNames || kind == ResponseKind.LabelValues
                ? """{"status":"success","data":[]}"""
                : """{"status":"success","data":{"resultType":"vector","result":[]}}""" };
        }
        if (kind is null && requests.Count > 1)
        {
            return RequestPlan.Fail(400, "/federate over several tenants needs the native federation strategy");
        }
        return Finish(endpoint, requests, kind);
    }

    private static RequestPlan Finish(PrometheusEndpoint endpoint, List<UpstreamRequest> requests, ResponseKind? kind) =>
        new() { Requests = requests, Kind = kind, PassThrough = requests.Count == 1 };

    private RequestPlan PlanRules(PrometheusEndpoint endpoint, PrometheusRequestParameters parameters, TenantAuthorization authorization)
    {
        // Mimir's ruler does not federate: one call per tenant, filtered with that tenant's own grant.
        var requests = new List<UpstreamRequest>();
        foreach (var tenant in authorization.Tenants)
        {
            if (LabelMatcherGrant.TryCreate(authorization.Decisions[tenant], out var error) is not { } grant)
            {
                return RequestPlan.Fail(500, $"the grant of tenant {tenant} cannot be applied: {error}");
            }
            requests.Add(Request(endpoint, null, [tenant], parameters) with { Grant = grant });
        }
        return new RequestPlan
        {
            Requests = requests,
            Kind = endpoint.Treatment == EndpointTreatment.FilterRules ? ResponseKind.Rules : ResponseKind.Alerts,
        };
    }

    /// <summary>
    /// The tenant groups, one upstream request each. Native: every tenant on the shared upstream in one request,
    /// each tenant with its own upstream URL alone. Fan-out: every tenant alone.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Groups(TenantAuthorization authorization)
    {
        var groups = new List<IReadOnlyList<string>>();
        if (federation.Strategy == FederationStrategy.Native)
        {
            var shared = authorization.Tenants.Where(t => !_hasOwnUpstream(t)).ToArray();
            if (shared.Length > 0)
            {
                groups.Add(shared);
            }
            groups.AddRange(authorization.Tenants.Where(_hasOwnUpstream).Select(t => (IReadOnlyList<string>)[t]));
            return groups;
        }
        groups.AddRange(authorization.Tenants.Select(t => (IReadOnlyList<string>)[t]));
        return groups;
    }

    private static UpstreamRequest Request(PrometheusEndpoint endpoint, string? labelName, IReadOnlyList<string> tenants, PrometheusRequestParameters parameters) =>
        new() { Endpoint = endpoint, LabelName = labelName, Tenants = tenants, Parameters = parameters };

    /// <summary>True when two decisions grant the same (for grouping and explain output).</summary>
    public static bool SameGrant(TenantDecision a, TenantDecision b) =>
        a.Allow == b.Allow && a.Filters.Count == b.Filters.Count && a.Filters.Zip(b.Filters).All(p => p.First.SequenceEqual(p.Second, StringComparer.Ordinal));
}
