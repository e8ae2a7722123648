using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Heimdall.AspNetCore.Http;
using Heimdall.Core.Bundles;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Heimdall.AspNetCore.Bundles;

/// <summary>
/// <c>GET /bundles/bundle.tar.gz</c>, following OPA's bundle protocol as observed (DESIGN §6): a quoted, stable
/// <c>ETag</c>; an exactly matching <c>If-None-Match</c> gets 304, for a long-poll request
/// (<c>Prefer: modes=snapshot,delta;wait=N</c>) only once the bundle changed (then 200 at once) or about N seconds
/// passed; a long-poll 200 is <c>application/vnd.openpolicyagent.bundles</c>, others <c>application/gzip</c>.
/// </summary>
internal static class BundleEndpoint
{
    public const string Path = "/bundles/bundle.tar.gz";
    public const string LongPollContentType = "application/vnd.openpolicyagent.bundles";
    public const string ContentType = "application/gzip";

    public static async Task HandleAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<BundleEndpointOptions>();
        var refusal = Authorize(context.Request, options);
        if (refusal is not null)
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"heimdall-bundles\"";
            await PrometheusError.WriteAsync(context, StatusCodes.Status401Unauthorized, refusal);
            return;
        }

        var service = context.RequestServices.GetRequiredService<PolicyBundleService>();
        var wait = ParseWait(context.Request.Headers["Prefer"]);
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        var bundle = service.Current;
        if (string.Equals(ifNoneMatch, bundle.ETag, StringComparison.Ordinal))
        {
            if (wait is { } seconds)
            {
                var hold = TimeSpan.FromSeconds(seconds) < options.MaxLongPollWait ? TimeSpan.FromSeconds(seconds) : options.MaxLongPollWait;
                try
                {
                    bundle = await service.WaitForChangeAsync(bundle.ETag, hold, context.RequestAborted);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    return;
                }
            }
            if (string.Equals(ifNoneMatch, bundle.ETag, StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                context.Response.Headers.ETag = bundle.ETag;
                return;
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.ETag = bundle.ETag;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = wait is null ? ContentType : LongPollContentType;
        context.Response.ContentLength = bundle.Content.Length;
        await context.Response.Body.WriteAsync(bundle.Content, context.RequestAborted);
    }

    /// <summary>Null when the request may have the bundle, else why not.</summary>
    internal static string? Authorize(HttpRequest request, BundleEndpointOptions options)
    {
        if (string.IsNullOrEmpty(options.Token))
        {
            return options.AllowAnonymous ? null : "the bundle endpoint has no token configured (bundle.token)";
        }
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value ||
            !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return "a bearer token is required";
        }
        // Hash both sides first so the comparison takes the same time whatever the lengths.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(value.AsSpan(7).Trim().ToString()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Token));
        return CryptographicOperations.FixedTimeEquals(given, expected) ? null : "invalid bearer token";
    }

    /// <summary>
    /// The N of <c>wait=N</c> in <c>Prefer</c> (parameters separated by <c>;</c> or <c>,</c>), or null when the request
    /// does not long-poll.
    /// </summary>
    internal static int? ParseWait(IEnumerable<string?> prefer)
    {
        foreach (var value in prefer)
        {
            if (value is null)
            {
                continue;
            }
            foreach (var part in value.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.StartsWith("wait=", StringComparison.OrdinalIgnoreCase) &&
                    int.TryParse(part.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return seconds;
                }
            }
        }
        return null;
    }
}
