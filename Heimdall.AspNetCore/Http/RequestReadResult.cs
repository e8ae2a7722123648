using Heimdall.Core.Federation;

namespace Heimdall.AspNetCore.Http;

/// <summary>The normalized parameters of a client request, or the refusal (400, 413, 415).</summary>
internal sealed record RequestReadResult
{
    /// <summary>The parameters; null on refusal.</summary>
    public PrometheusRequestParameters? Parameters { get; init; }

    /// <summary>The status code of a refusal.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Why the request was refused.</summary>
    public string? Error { get; init; }

    /// <summary>A refusal.</summary>
    public static RequestReadResult Fail(int statusCode, string error) => new() { StatusCode = statusCode, Error = error };
}
