using System.Text.Json;
using Heimdall.AspNetCore.Configuration;
using Heimdall.AspNetCore.Http;
using Heimdall.Core.Federation;
using Heimdall.Core.Policy;
using Microsoft.AspNetCore.Http;

namespace Heimdall.AspNetCore.Gateway;

/// <summary>
/// <c>GET|POST /heimdall/v1/explain?query=…</c>: for the caller's own identity (and <c>X-Scope-OrgID</c> if given),
/// shows the resolved tenants, each decision, the strategy, the plan and the rewritten query, without any upstream call.
/// </summary>
internal sealed class ExplainEndpoint(HeimdallGatewayOptions options, TenantAuthorizer authorizer, RequestPlanner planner, UpstreamClient upstream)
{
    private static readonly PrometheusEndpoint s_query = PrometheusEndpoints.Find("/api/v1/query", out _)!;

    /// <summary>The route.</summary>
    public const string Path = "/heimdall/v1/explain";

    /// <summary>Handles the request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var caller = await GatewayPipeline.AuthenticateAsync(context);
        if (caller is null)
        {
            return;
        }
        var header = TenantHeader.Parse(context.Request.Headers[TenantHeader.Name].ToArray(), options.Federation.MaxTenants);
        var read = await PrometheusRequestReader.ReadAsync(context, s_query, options.Limits);
        if (read.Error is not null)
        {
            await GatewayPipeline.ErrorAsync(context, read.StatusCode, read.Error);
            return;
        }
        var authorization = await authorizer.AuthorizeAsync(caller, header, PolicyActions.Read, context.RequestAborted);
        if (!authorization.Succeeded)
        {
            await GatewayPipeline.ErrorAsync(context, authorization.StatusCode, authorization.Error!);
            return;
        }
        var plan = planner.Plan(s_query, null, read.Parameters!, authorization);
        if (!plan.Succeeded)
        {
            await GatewayPipeline.ErrorAsync(context, plan.StatusCode, plan.Error!);
            return;
        }

        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("status", "success");
        writer.WriteStartObject("data");
        writer.WriteString("user", caller.User);
        writer.WriteString("query", read.Parameters!.Get("query"));
        writer.WriteBoolean("tenantsAutoResolved", authorization.AutoResolved);
        WriteStrings(writer, "tenants", authorization.Tenants);
        writer.WriteStartObject("decisions");
        foreach (var tenant in authorization.Tenants)
        {
            var decision = authorization.Decisions[tenant];
            writer.WriteStartObject(tenant);
            writer.WriteBoolean("allow", decision.Allow);
            writer.WriteBoolean("unrestricted", decision.IsUnrestricted);
            writer.WriteStartArray("filters");
            foreach (var alternative in decision.Filters)
            {
                WriteStrings(writer, null, alternative);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteString("strategy", planner.Strategy == FederationStrategy.Native ? "native" : "fanout");
        writer.WriteStartArray("plan");
        foreach (var request in plan.Requests)
        {
            writer.WriteStartObject();
            WriteStrings(writer, "tenants", request.Tenants);
            writer.WriteString("upstream", upstream.BaseUrlFor(request.Tenants) + request.Endpoint.UpstreamPath(request.LabelName));
            writer.WriteString("query", request.Parameters.Get("query"));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (plan.Requests.Count == 1)
        {
            writer.WriteString("rewrittenQuery", plan.Requests[0].Parameters.Get("query"));
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string? name, IEnumerable<string> values)
    {
        if (name is null)
        {
            writer.WriteStartArray();
        }
        else
        {
            writer.WriteStartArray(name);
        }
        foreach (var v in values)
        {
            writer.WriteStringValue(v);
        }
        writer.WriteEndArray();
    }
}
