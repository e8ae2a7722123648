using Microsoft.AspNetCore.Http.Features;

namespace Heimdall.Host.Serving;

/// <summary>
/// The header and request-target limits, answered in Prometheus' JSON error format (DESIGN §7: 431 and 414, never an
/// empty or HTML page). Kestrel's own limits are set above these as hard caps: beyond them Kestrel refuses the
/// request itself (an empty 431/414) before any middleware runs; between the two, this middleware answers.
/// </summary>
internal static class RequestHeaderLimits
{
    /// <summary>The largest total of request header names and values (plus separators) served.</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    /// <summary>
    /// The longest request target (path and query string) served. Prometheus (Go) takes GET queries up to its 1 MB
    /// header limit and dashboards with many variable values build long ones, so this is well above Kestrel's 8 KB
    /// default; longer queries belong in a POST body.
    /// </summary>
    public const int MaxRequestTargetBytes = 64 * 1024;

    /// <summary>Kestrel's hard cap on headers (<c>MaxRequestHeadersTotalSize</c>).</summary>
    public const int KestrelMaxHeaderBytes = 2 * MaxHeaderBytes;

    /// <summary>Kestrel's hard cap on the request line (<c>MaxRequestLineSize</c>).</summary>
    public const int KestrelMaxRequestLineBytes = 2 * MaxRequestTargetBytes;

    /// <summary>Answers 414 or 431 with Prometheus' JSON error when a limit is exceeded; otherwise continues.</summary>
    public static Task UseAsync(HttpContext context, RequestDelegate next)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (target.Length > MaxRequestTargetBytes)
        {
            return Heimdall.AspNetCore.Http.PrometheusError.WriteAsync(context, StatusCodes.Status414UriTooLong,
                $"the request target is longer than {MaxRequestTargetBytes} bytes; send long queries as a POST form body", "bad_data");
        }
        long total = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                total += name.Length + (value?.Length ?? 0) + 4;
            }
        }
        if (total > MaxHeaderBytes)
        {
            return Heimdall.AspNetCore.Http.PrometheusError.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge,
                $"the request headers are larger than {MaxHeaderBytes} bytes");
        }
        return next(context);
    }
}
