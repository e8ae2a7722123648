namespace Heimdall.Core.Federation;

/// <summary>
/// The outcome of a fan-out: every successful response (in request order), warnings for tenants left out of a
/// partial result, or the failure (status code and a message naming the tenant).
/// </summary>
internal sealed record DispatchResult
{
    /// <summary>Successful upstream responses.</summary>
    public IReadOnlyList<TenantResponse> Responses { get; init; } = [];

    /// <summary>Warnings to add to the merged answer.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The status code for the client when failed (429, 502, 504, or the upstream's own 4xx).</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Why the request failed; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>Prometheus' <c>errorType</c> of an upstream 4xx, when the upstream gave one.</summary>
    public string? ErrorType { get; init; }

    /// <summary>True when <see cref="Responses"/> can be merged.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A failure.</summary>
    public static DispatchResult Fail(int statusCode, string error, string? errorType = null) =>
        new() { StatusCode = statusCode, Error = error, ErrorType = errorType };
}
