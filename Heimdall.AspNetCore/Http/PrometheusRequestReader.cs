using System.Buffers;
using Heimdall.AspNetCore.Configuration;
using Heimdall.Core.Federation;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Heimdall.AspNetCore.Http;

/// <summary>
/// Reads a Prometheus API request's parameters from the raw query string and, for POST, the
/// <c>application/x-www-form-urlencoded</c> body, strictly (invalid escapes or UTF-8 refused, bounded body and
/// field count, other content types refused), then applies the endpoint's rules (<see cref="RequestNormalizer"/>).
/// </summary>
internal static class PrometheusRequestReader
{
    /// <summary>Reads and normalizes the request's parameters.</summary>
    public static async Task<RequestReadResult> ReadAsync(HttpContext context, PrometheusEndpoint endpoint, RequestLimitsOptions limits)
    {
        var request = context.Request;
        var url = new List<KeyValuePair<string, string>>();
        if (FormUrlEncoding.TryParseQueryString(request.QueryString.Value, limits.MaxFormFields, url) is { } urlError)
        {
            return RequestReadResult.Fail(StatusCodes.Status400BadRequest, "invalid query string: " + urlError);
        }
        var body = new List<KeyValuePair<string, string>>();
        if (HttpMethods.IsPost(request.Method))
        {
            var result = await ReadBodyAsync(context, limits, limits.MaxFormFields - url.Count, body);
            if (result is not null)
            {
                return result;
            }
        }
        var normalized = RequestNormalizer.Normalize(endpoint, url, body);
        return normalized.Error is not null
            ? RequestReadResult.Fail(StatusCodes.Status400BadRequest, normalized.Error)
            : new RequestReadResult { Parameters = normalized.Parameters };
    }

    private static async Task<RequestReadResult?> ReadBodyAsync(HttpContext context, RequestLimitsOptions limits, int fieldBudget,
        List<KeyValuePair<string, string>> into)
    {
        var request = context.Request;
        if (request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.ContainsKey(HeaderNames.TransferEncoding)))
        {
            return null;
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return RequestReadResult.Fail(StatusCodes.Status415UnsupportedMediaType,
                $"unsupported content type '{request.ContentType}': send parameters as application/x-www-form-urlencoded");
        }
        if (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return RequestReadResult.Fail(StatusCodes.Status415UnsupportedMediaType, $"unsupported charset '{contentType.Charset}': use utf-8");
        }
        if (request.ContentLength > limits.MaxBodyBytes)
        {
            return TooLarge(limits);
        }
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, limits.MaxBodyBytes) + 1);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limits.MaxBodyBytes)
                    {
                        return TooLarge(limits);
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limits.MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var n = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (n == 0)
                {
                    break;
                }
                length += n;
                if (length > limits.MaxBodyBytes)
                {
                    return TooLarge(limits);
                }
            }
            if (fieldBudget <= 0)
            {
                return length == 0 ? null : RequestReadResult.Fail(StatusCodes.Status400BadRequest, $"too many form fields (at most {limits.MaxFormFields})");
            }
            return FormUrlEncoding.TryParse(buffer.AsSpan(0, length), fieldBudget, into) is { } error
                ? RequestReadResult.Fail(StatusCodes.Status400BadRequest, "invalid form body: " + error)
                : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static RequestReadResult TooLarge(RequestLimitsOptions limits) =>
        RequestReadResult.Fail(StatusCodes.Status413PayloadTooLarge, $"request body is larger than {limits.MaxBodyBytes} bytes");
}
