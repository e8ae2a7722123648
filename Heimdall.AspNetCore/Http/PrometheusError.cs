using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Heimdall.AspNetCore.Http;

/// <summary>
/// Writes errors in Prometheus' HTTP API format, <c>{"status":"error","errorType":"bad_data","error":"..."}</c>,
/// which every Prometheus client (Grafana, promtool) understands (DESIGN §7).
/// </summary>
internal static class PrometheusError
{
    /// <summary>The <c>errorType</c> Prometheus uses for a status code.</summary>
    public static string ErrorTypeFor(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge or
            StatusCodes.Status431RequestHeaderFieldsTooLarge or StatusCodes.Status422UnprocessableEntity => "bad_data",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status429TooManyRequests => "too_many_requests",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        StatusCodes.Status504GatewayTimeout => "timeout",
        StatusCodes.Status499ClientClosedRequest => "canceled",
        _ => "internal",
    };

    /// <summary>Writes the error with <paramref name="statusCode"/> unless the response has started.</summary>
    public static async Task WriteAsync(HttpContext context, int statusCode, string message, string? errorType = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("status", "error");
        writer.WriteString("errorType", errorType ?? ErrorTypeFor(statusCode));
        writer.WriteString("error", message);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
