using System.Diagnostics;
using Heimdall.AspNetCore.Http;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Federation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Heimdall.AspNetCore.RemoteWrite;

/// <summary>
/// Forwards an authorized remote-write push (1.0 and 2.0) with YARP's <see cref="IHttpForwarder"/>: the body is
/// streamed, never buffered or decoded.
/// </summary>
internal sealed partial class RemoteWriteForwarder(IHttpForwarder forwarder, UpstreamClient upstream, FanoutOptions fanout, ILogger<RemoteWriteForwarder> logger)
{
    private readonly ForwarderRequestConfig _config = new() { ActivityTimeout = fanout.Timeout };

    /// <summary>Forwards the request in <paramref name="context"/> for <paramref name="tenant"/>.</summary>
    public async Task ForwardAsync(HttpContext context, string tenant)
    {
        var started = Stopwatch.GetTimestamp();
        var transformer = new RemoteWriteTransformer(upstream.RemoteWriteUrl, tenant, upstream.Authorization);
        var error = await forwarder.SendAsync(context, upstream.RemoteWriteUrl.GetLeftPart(UriPartial.Authority), upstream.Invoker, _config, transformer);
        var code = error == ForwarderError.None ? context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "error";
        FederationMetrics.UpstreamRequests.Add(1, new KeyValuePair<string, object?>("code", code));
        FederationMetrics.UpstreamRequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("code", code));
        if (error != ForwarderError.None)
        {
            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            Log.ForwardFailed(logger, tenant, error, exception);
            if (!context.Response.HasStarted)
            {
                var status = context.Response.StatusCode is >= 400 ? context.Response.StatusCode : StatusCodes.Status502BadGateway;
                var message = error switch
                {
                    ForwarderError.RequestTimedOut => $"tenant {tenant}: remote write timed out upstream",
                    ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled => $"tenant {tenant}: remote write canceled",
                    ForwarderError.RequestBodyClient => $"tenant {tenant}: could not read the pushed body",
                    _ => $"tenant {tenant}: remote write upstream failed ({error})",
                };
                context.Response.Headers.Clear();
                await PrometheusError.WriteAsync(context, status, message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.RemoteWriteForwardFailed, EventName = "RemoteWriteForwardFailed", Level = LogLevel.Warning, Message = "Remote write for tenant {Tenant} failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, string tenant, ForwarderError error, Exception? exception);
    }
}
