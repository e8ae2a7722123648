using System.Collections.Frozen;
using System.Net.Http.Headers;
using Heimdall.Core.Federation;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Heimdall.AspNetCore.RemoteWrite;

/// <summary>
/// Sends a push to the upstream's remote-write URL for exactly one tenant: YARP copies the body stream and its content
/// headers untouched (<c>Content-Encoding</c>, <c>Content-Type</c>); of the other request headers only an allow-list
/// the remote-write protocol uses is kept (<c>X-Prometheus-Remote-Write-Version</c>, <c>User-Agent</c>,
/// <c>Retry-Attempt</c>, trace context). Everything else the caller sent — its credentials in any header
/// (<c>Authorization</c>, <c>jwt.token_headers</c>, cookies) and look-alike tenant headers (<c>X_Scope_OrgID</c>) —
/// is dropped; the tenant header is the authorized tenant and the credentials are Heimdall's upstream credentials.
/// </summary>
internal sealed class RemoteWriteTransformer(Uri target, string tenant, AuthenticationHeaderValue? authorization) : HttpTransformer
{
    private static readonly FrozenSet<string> s_forwardedHeaders = new[]
    {
        "X-Prometheus-Remote-Write-Version", "User-Agent", "Retry-Attempt", "traceparent", "tracestate", "baggage",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = target;
        foreach (var name in proxyRequest.Headers.Select(h => h.Key).Where(n => !s_forwardedHeaders.Contains(n)).ToList())
        {
            proxyRequest.Headers.Remove(name);
        }
        proxyRequest.Headers.TryAddWithoutValidation(TenantHeader.Name, tenant);
        if (authorization is not null)
        {
            proxyRequest.Headers.Authorization = authorization;
        }
    }
}
