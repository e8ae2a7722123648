using System.Net.Http.Headers;
using Heimdall.Core.Federation;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Heimdall.AspNetCore.RemoteWrite;

/// <summary>
/// Sends a push to the upstream's remote-write URL for exactly one tenant: YARP copies the body stream and its
/// headers untouched (<c>Content-Encoding</c>, <c>Content-Type</c>, <c>X-Prometheus-Remote-Write-Version</c>);
/// the caller's credentials and tenant header are replaced by Heimdall's upstream credentials and the authorized tenant.
/// </summary>
internal sealed class RemoteWriteTransformer(Uri target, string tenant, AuthenticationHeaderValue? authorization) : HttpTransformer
{
    /// <inheritdoc />
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = target;
        proxyRequest.Headers.Remove(HeaderNames.Authorization);
        proxyRequest.Headers.Remove(HeaderNames.Cookie);
        proxyRequest.Headers.Remove(TenantHeader.Name);
        proxyRequest.Headers.TryAddWithoutValidation(TenantHeader.Name, tenant);
        if (authorization is not null)
        {
            proxyRequest.Headers.Authorization = authorization;
        }
    }
}
