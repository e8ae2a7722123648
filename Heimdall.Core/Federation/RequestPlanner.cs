using System.Text.Json;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Policy;
using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;

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

    /// <summary>The label whose values are the metric names.</summary>
    public const string MetricNameLabel = "__name__";

    private static readonly PrometheusEndpoint s_labelValues = PrometheusEndpoints.All.Single(e => e.HasLabelName);

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
                return PlanMetadata(endpoint, parameters, authorization);
        }

        if (labelName == PrometheusResponseMerger.TenantLabelName && tenants.Count >= 2)
        {
            // Mimir answers __tenant_id__ values from the header's tenants, filtered only by match[]'s __tenant_id__ matchers.
            return TenantValues(tenants, parameters.GetAll("match[]"), parameters.Get("limit"));
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
        // One answer passes through only when it speaks for every tenant of the request: a federated request answered
        // by one tenant alone (the others' match[] excluded them) still needs that tenant's __tenant_id__ label.
        // /federate (kind null) over several answers is merged from the text format by FederateMerger.
        return new RequestPlan
        {
            Requests = requests,
            Kind = kind,
            PassThrough = requests.Count == 1 && requests[0].Tenants.Count == tenants.Count,
            Federated = tenants.Count >= 2,
        };
    }

    private RequestPlan PlanMetadata(PrometheusEndpoint endpoint, PrometheusRequestParameters parameters, TenantAuthorization authorization)
    {
        // Prometheus: limit < 0 (default -1) is no limit, 0 returns nothing; limit_per_metric <= 0 is no limit.
        if (!TryParseInt(parameters.Get("limit"), out var limit))
        {
            return RequestPlan.Fail(400, "limit must be a number");
        }
        if (!TryParseInt(parameters.Get("limit_per_metric"), out var limitPerMetric))
        {
            return RequestPlan.Fail(400, "limit_per_metric must be a number");
        }
        var tenants = authorization.Tenants;
        var decisions = authorization.Decisions;
        if (tenants.Count == 1 && decisions[tenants[0]].IsUnrestricted)
        {
            return new RequestPlan { Requests = [Request(endpoint, null, tenants, parameters)], PassThrough = true };
        }
        // Unrestricted tenants are forwarded as usual (limits kept: the merge applies them again). A restricted tenant
        // is asked alone, without limits (they apply after filtering), together with the metric names its grant can
        // see: label/__name__/values with the grant as match[], as the labels endpoint rewrites it.
        var requests = new List<UpstreamRequest>();
        var unrestricted = tenants.Where(t => decisions[t].IsUnrestricted).ToArray();
        if (unrestricted.Length > 0)
        {
            requests.AddRange(Groups(authorization with { Tenants = unrestricted }).Select(g => Request(endpoint, null, g, parameters)));
        }
        var unlimited = parameters.Without("limit").Without("limit_per_metric");
        var names = new List<UpstreamRequest>();
        var restricted = new List<string>();
        foreach (var tenant in tenants.Where(t => !decisions[t].IsUnrestricted))
        {
            restricted.Add(tenant);
            var context = new QueryRewriteContext { Tenants = [tenant], RequestTenants = [tenant], Decisions = decisions, Strategy = federation.Strategy };
            var rewritten = rewriter.RewriteSelector(AllSeriesSelector, context);
            if (rewritten.Error is not null)
            {
                return RequestPlan.Fail(rewritten.StatusCode, rewritten.Error);
            }
            if (rewritten.Selectors!.Count == 0)
            {
                continue; // the grant selects nothing: no metadata from this tenant
            }
            names.Add(Request(s_labelValues, MetricNameLabel, [tenant], PrometheusRequestParameters.Empty.With("match[]", rewritten.Selectors)));
            requests.Add(Request(endpoint, null, [tenant], unlimited));
        }
        if (requests.Count == 0)
        {
            return new RequestPlan { LocalResponse = """{"status":"success","data":{}}""" };
        }
        return new RequestPlan
        {
            Requests = requests,
            Kind = ResponseKind.Metadata,
            Federated = tenants.Count >= 2,
            Metadata = new MetadataPlan { NameRequests = names, RestrictedTenants = restricted, Limit = limit, LimitPerMetric = limitPerMetric },
        };
    }

    private static bool TryParseInt(string? value, out int result)
    {
        result = -1;
        return value is null || int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out result);
    }

    /// <summary>
    /// The header's tenants a <c>label/__tenant_id__/values</c> request selects: all without <c>match[]</c>, else those
    /// for which some selector's <c>__tenant_id__</c> matchers all match (Mimir ignores the other matchers here).
    /// </summary>
    private static RequestPlan TenantValues(IReadOnlyList<string> tenants, IReadOnlyList<string> selectors, string? limitText)
    {
        if (!TryParseInt(limitText, out var limit))
        {
            return RequestPlan.Fail(400, "limit must be a number");
        }
        var parsed = new List<VectorSelector>(selectors.Count);
        foreach (var selector in selectors)
        {
            if (!PromQLParser.TryParse(selector, out var expr, out var parseError) || expr is not VectorSelector vector)
            {
                var why = parseError is not null ? parseError.ToString() : $"{selector} is not a series selector";
                return RequestPlan.Fail(400, $"invalid parameter \"match[]\": {why}");
            }
            parsed.Add(vector);
        }
        var selected = tenants.Where(t => parsed.Count == 0 || parsed.Exists(v =>
            v.LabelMatchers.All(m => m.Name != PrometheusResponseMerger.TenantLabelName || m.Matches(t)))).Order(LabelSetComparer.Utf8);
        var data = limit > 0 ? selected.Take(limit).ToArray() : selected.ToArray();
        return new RequestPlan { LocalResponse = JsonSerializer.Serialize(new { status = "success", data }) };
    }

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
    /// <remarks>
    /// Tenants share a request only when they share an upstream URL and that upstream federates (native): their
    /// grants need not be identical, each alternative is qualified with its tenant. Equal grants are never a reason
    /// to group by themselves: in fan-out the upstream does not federate (one <c>X-Scope-OrgID: a|b</c> request
    /// would not be split by tenant, nor labelled) and tenants may each have their own URL, so each needs its own request.
    /// </remarks>
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
