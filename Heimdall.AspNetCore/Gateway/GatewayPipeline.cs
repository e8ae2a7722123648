using System.Diagnostics;
using System.Text.Json;
using Heimdall.AspNetCore.Authentication;
using Heimdall.AspNetCore.Configuration;
using Heimdall.AspNetCore.Http;
using Heimdall.AspNetCore.RemoteWrite;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Federation;
using Heimdall.Core.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Heimdall.AspNetCore.Gateway;

/// <summary>
/// One Prometheus API request (DESIGN §2): allow-list → authenticate → read and normalize parameters → resolve and
/// authorize tenants (one evaluation) → plan (rewrite) → dispatch → merge → respond. Every refusal is Prometheus'
/// JSON error; nothing reaches the upstream unless every step succeeded.
/// </summary>
internal sealed partial class GatewayPipeline(
    HeimdallGatewayOptions options,
    TenantAuthorizer authorizer,
    RequestPlanner planner,
    FanoutDispatcher dispatcher,
    RemoteWriteForwarder remoteWrite,
    ILogger<GatewayPipeline> logger)
{
    /// <summary>Handles a request under <c>/api/v1/</c>, <c>/prometheus/api/v1/</c> or <c>/federate</c>.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var endpoint = PrometheusEndpoints.Find(context.Request.Path.Value ?? "", out var labelName);
        try
        {
            await HandleCoreAsync(context, endpoint, labelName);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // Only a regex too large for the non-backtracking engine runs on the backtracking one, under a match
            // timeout; hitting it refuses the request (nothing was answered from it) instead of a 500.
            await ErrorAsync(context, StatusCodes.Status422UnprocessableEntity, "a regular expression took too long to evaluate; simplify it");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientGone(logger, endpoint?.Path ?? "unknown");
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            }
        }
        finally
        {
            var tags = new TagList { { "endpoint", endpoint?.Path ?? "unknown" }, { "code", context.Response.StatusCode } };
            GatewayMetrics.Requests.Add(1, tags);
            GatewayMetrics.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private async Task HandleCoreAsync(HttpContext context, PrometheusEndpoint? endpoint, string? labelName)
    {
        if (endpoint is null)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"{context.Request.Path} is not an endpoint Heimdall serves");
            return;
        }
        if (!endpoint.Methods.Contains(context.Request.Method))
        {
            context.Response.Headers[HeaderNames.Allow] = string.Join(", ", endpoint.Methods.Order(StringComparer.Ordinal));
            await ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, $"method {context.Request.Method} is not allowed for {context.Request.Path}");
            return;
        }
        var caller = await AuthenticateAsync(context);
        if (caller is null)
        {
            return;
        }
        var header = TenantHeader.Parse(context.Request.Headers[TenantHeader.Name].ToArray(), options.Federation.MaxTenants);
        if (endpoint.Treatment == EndpointTreatment.RemoteWrite)
        {
            await RemoteWriteAsync(context, caller, header);
            return;
        }
        var read = await PrometheusRequestReader.ReadAsync(context, endpoint, options.Limits);
        if (read.Error is not null)
        {
            await ErrorAsync(context, read.StatusCode, read.Error);
            return;
        }
        var authorization = await authorizer.AuthorizeAsync(caller, header, endpoint.Action, context.RequestAborted);
        if (!authorization.Succeeded)
        {
            await ErrorAsync(context, authorization.StatusCode, authorization.Error!);
            return;
        }
        var plan = planner.Plan(endpoint, labelName, read.Parameters!, authorization);
        if (!plan.Succeeded)
        {
            await ErrorAsync(context, plan.StatusCode, plan.Error!);
            return;
        }
        if (plan.LocalResponse is { } local)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(local, context.RequestAborted);
            return;
        }
        if (plan.Metadata is { } metadata)
        {
            await MetadataAsync(context, plan, metadata);
            return;
        }
        var result = await dispatcher.DispatchAsync(plan.Requests, context.RequestAborted);
        if (!result.Succeeded)
        {
            await ErrorAsync(context, result.StatusCode, result.Error!, result.ErrorType);
            return;
        }
        await RespondAsync(context, endpoint, plan, result);
    }

    /// <summary>Metadata filtered by the names each restricted tenant can see: both asked at once, merged, limits applied.</summary>
    private async Task MetadataAsync(HttpContext context, RequestPlan plan, MetadataPlan metadata)
    {
        var namesTask = dispatcher.DispatchAsync(metadata.NameRequests, context.RequestAborted);
        var dataTask = dispatcher.DispatchAsync(plan.Requests, context.RequestAborted);
        await Task.WhenAll(namesTask, dataTask);
        foreach (var outcome in (DispatchResult[])[namesTask.Result, dataTask.Result])
        {
            if (!outcome.Succeeded)
            {
                await ErrorAsync(context, outcome.StatusCode, outcome.Error!, outcome.ErrorType);
                return;
            }
        }
        // The merger writes nothing unless every answer was read, so it writes to the response directly (as RespondAsync does).
        context.Response.ContentType = "application/json";
        var merged = MetadataMerger.Merge(dataTask.Result.Responses, namesTask.Result.Responses, metadata, context.Response.BodyWriter,
            [.. namesTask.Result.Warnings, .. dataTask.Result.Warnings]);
        if (!merged.Succeeded)
        {
            await ErrorAsync(context, merged.StatusCode, merged.Error!);
            return;
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private async Task RespondAsync(HttpContext context, PrometheusEndpoint endpoint, RequestPlan plan, DispatchResult result)
    {
        if (plan.PassThrough && result.Warnings.Count == 0)
        {
            var only = result.Responses[0];
            // Every endpoint but /federate answers JSON: a garbled or broken-off body is the upstream's failure (502), never passed on.
            if (endpoint.Treatment != EndpointTreatment.Federate && UpstreamJson.Check(only) is { } invalid)
            {
                Log.UpstreamInvalid(logger, invalid);
                await ErrorAsync(context, StatusCodes.Status502BadGateway, invalid);
                return;
            }
            context.Response.ContentType = only.ContentType ?? "application/json";
            await context.Response.Body.WriteAsync(only.Body, context.RequestAborted);
            return;
        }
        if (plan.Kind is null)
        {
            var text = new System.Text.StringBuilder();
            var federated = FederateMerger.Merge(result.Responses, plan.Federated, text, result.Warnings);
            if (!federated.Succeeded)
            {
                await ErrorAsync(context, federated.StatusCode, federated.Error!);
                return;
            }
            context.Response.ContentType = FederateMerger.ContentType;
            await context.Response.WriteAsync(text.ToString(), context.RequestAborted);
            return;
        }
        context.Response.ContentType = "application/json";
        var merged = PrometheusResponseMerger.Merge(plan.Kind.Value, result.Responses, context.Response.BodyWriter, result.Warnings, plan.Federated);
        if (!merged.Succeeded)
        {
            await ErrorAsync(context, merged.StatusCode, merged.Error!);
            return;
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private async Task RemoteWriteAsync(HttpContext context, CallerIdentity caller, TenantHeaderResult header)
    {
        if (header.Status == TenantHeaderStatus.Valid && header.Tenants.Count != 1)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest,
                $"remote write goes to exactly one tenant; {TenantHeader.Name} names {header.Tenants.Count}");
            return;
        }
        var authorization = await authorizer.AuthorizeAsync(caller, header, Heimdall.Core.Policy.PolicyActions.Write, context.RequestAborted);
        if (!authorization.Succeeded)
        {
            await ErrorAsync(context, authorization.StatusCode, authorization.Error!);
            return;
        }
        if (authorization.Tenants.Count != 1)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest,
                $"remote write goes to exactly one tenant; name it in {TenantHeader.Name} (you may write to {authorization.Tenants.Count})");
            return;
        }
        await remoteWrite.ForwardAsync(context, authorization.Tenants[0]);
    }

    /// <summary>Authenticates; on refusal writes the 401 and returns null.</summary>
    internal static async Task<CallerIdentity?> AuthenticateAsync(HttpContext context)
    {
        var authentication = await HttpAuthentication.AuthenticateAsync(context);
        if (!authentication.Succeeded)
        {
            await HttpAuthentication.ChallengeAsync(context, authentication);
            return null;
        }
        return authentication.Identity;
    }

    /// <summary>Writes a Prometheus JSON error (415 counts as bad data).</summary>
    internal static Task ErrorAsync(HttpContext context, int statusCode, string message, string? errorType = null) =>
        PrometheusError.WriteAsync(context, statusCode, message,
            errorType ?? (statusCode == StatusCodes.Status415UnsupportedMediaType ? "bad_data" : null));

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.ClientGone, EventName = "ClientGone", Level = LogLevel.Debug, Message = "Client went away during {Endpoint}")]
        public static partial void ClientGone(ILogger logger, string endpoint);

        [LoggerMessage(EventId = EventIds.UpstreamInvalid, EventName = "UpstreamInvalid", Level = LogLevel.Warning, Message = "Upstream answer refused: {Reason}")]
        public static partial void UpstreamInvalid(ILogger logger, string reason);
    }
}
