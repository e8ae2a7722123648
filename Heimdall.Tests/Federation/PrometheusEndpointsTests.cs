using Heimdall.Core.Federation;
using Heimdall.Core.Policy;

namespace Heimdall.Tests.Federation;

public class PrometheusEndpointsTests
{
    [Theory]
    [InlineData("/api/v1/query", "query", EndpointTreatment.RewriteQuery, PolicyActions.Read)]
    [InlineData("/prometheus/api/v1/query_range", "query_range", EndpointTreatment.RewriteQuery, PolicyActions.Read)]
    [InlineData("/api/v1/query_exemplars", "query_exemplars", EndpointTreatment.RewriteQuery, PolicyActions.Read)]
    [InlineData("/api/v1/series", "series", EndpointTreatment.RewriteRequiredMatchers, PolicyActions.Read)]
    [InlineData("/api/v1/labels", "labels", EndpointTreatment.RewriteOptionalMatchers, PolicyActions.Read)]
    [InlineData("/prometheus/api/v1/label/job/values", "label/{name}/values", EndpointTreatment.RewriteOptionalMatchers, PolicyActions.Read)]
    [InlineData("/api/v1/metadata", "metadata", EndpointTreatment.Metadata, PolicyActions.Read)]
    [InlineData("/api/v1/rules", "rules", EndpointTreatment.FilterRules, PolicyActions.RulesRead)]
    [InlineData("/api/v1/alerts", "alerts", EndpointTreatment.FilterAlerts, PolicyActions.AlertsRead)]
    [InlineData("/api/v1/cardinality/label_names", "cardinality/label_names", EndpointTreatment.UnrestrictedOnly, PolicyActions.Read)]
    [InlineData("/api/v1/status/tsdb", "status/tsdb", EndpointTreatment.UnrestrictedOnly, PolicyActions.Read)]
    [InlineData("/api/v1/format_query", "format_query", EndpointTreatment.NoDataAccess, PolicyActions.Read)]
    [InlineData("/api/v1/status/buildinfo", "status/buildinfo", EndpointTreatment.NoDataAccess, PolicyActions.Read)]
    [InlineData("/api/v1/push", "push", EndpointTreatment.RemoteWrite, PolicyActions.Write)]
    [InlineData("/federate", "/federate", EndpointTreatment.Federate, PolicyActions.Read)]
    [InlineData("/prometheus/federate", "/federate", EndpointTreatment.Federate, PolicyActions.Read)]
    public void Finds_AllowedEndpoint(string path, string expected, object treatment, string action)
    {
        var endpoint = PrometheusEndpoints.Find(path, out _);
        Assert.NotNull(endpoint);
        Assert.Equal(expected, endpoint.Path);
        Assert.Equal((EndpointTreatment)treatment, endpoint.Treatment);
        Assert.Equal(action, endpoint.Action);
    }

    [Theory]
    [InlineData("/api/v1/admin/tsdb/delete_series")]
    [InlineData("/api/v1/admin/tsdb/snapshot")]
    [InlineData("/api/v1/targets")]
    [InlineData("/api/v1/status/config")]
    [InlineData("/api/v1/status/flags")]
    [InlineData("/api/v1/query/")]
    [InlineData("/api/v1//query")]
    [InlineData("/api/v1/QUERY")]
    [InlineData("/api/v2/query")]
    [InlineData("/api/v1/label/a/b/values")]
    [InlineData("/api/v1/label/1job/values")]
    [InlineData("/api/v1/label//values")]
    [InlineData("/api/v1/otlp/v1/metrics")]
    [InlineData("/prometheus/api/v1/write")]
    public void Refuses_PathsOutsideTheAllowList(string path)
    {
        Assert.Null(PrometheusEndpoints.Find(path, out _));
    }

    [Fact]
    public void Extracts_LabelName()
    {
        var endpoint = PrometheusEndpoints.Find("/api/v1/label/__name__/values", out var name);
        Assert.Equal("__name__", name);
        Assert.Equal("/api/v1/label/__name__/values", endpoint!.UpstreamPath(name));
        Assert.Equal("GET", endpoint.UpstreamMethod);
        Assert.Equal(["GET"], endpoint.Methods.ToArray());
    }

    [Fact]
    public void QueryEndpoints_UsePostUpstream()
    {
        foreach (var path in new[] { "query", "query_range", "query_exemplars", "series", "labels" })
        {
            Assert.Equal("POST", PrometheusEndpoints.Find("/api/v1/" + path, out _)!.UpstreamMethod);
        }
    }
}
