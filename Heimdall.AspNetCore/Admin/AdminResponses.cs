using System.Text.Encodings.Web;
using System.Text.Json;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Heimdall.AspNetCore.Admin;

/// <summary>The admin API's JSON: <c>{"status":"success","data":…}</c>, and Prometheus-style errors with field details.</summary>
internal static class AdminResponses
{
    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task WriteDataAsync(HttpContext context, int statusCode, object data, long? revision = null)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        if (revision is { } r)
        {
            context.Response.Headers["X-Heimdall-Revision"] = r.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await JsonSerializer.SerializeAsync(context.Response.Body, new { status = "success", data }, Json, context.RequestAborted);
    }

    public static Task WriteRefusalAsync(HttpContext context, PolicyStoreResult result) => result.Status switch
    {
        PolicyStoreStatus.NotFound => WriteErrorsAsync(context, StatusCodes.Status404NotFound, "not found", result.Errors),
        PolicyStoreStatus.Conflict => WriteErrorsAsync(context, StatusCodes.Status409Conflict, "conflict", result.Errors),
        _ => WriteErrorsAsync(context, StatusCodes.Status400BadRequest, "invalid input", result.Errors),
    };

    /// <summary><c>{"status":"error","errorType":…,"error":"…","details":[{"policy","tenant","field","message"}]}</c>; nothing was written.</summary>
    public static async Task WriteErrorsAsync(HttpContext context, int statusCode, string summary, IReadOnlyList<PolicyValidationError> errors)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        var message = errors.Count == 0 ? summary : $"{summary}: {string.Join("; ", errors.Take(5))}{(errors.Count > 5 ? $"; and {errors.Count - 5} more" : "")}";
        await JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = "error",
            errorType = statusCode switch { 404 => "not_found", 409 => "conflict", _ => "bad_data" },
            error = message,
            details = errors.Select(e => new { policy = e.Policy, tenant = e.Tenant, field = e.Field, message = e.Message }),
        }, Json, context.RequestAborted);
    }
}
