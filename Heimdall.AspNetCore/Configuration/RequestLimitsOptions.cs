namespace Heimdall.AspNetCore.Configuration;

/// <summary>Limits on client requests (the <c>limits</c> section); exceeding one is answered with 400/413 in Prometheus' JSON error format.</summary>
public sealed record RequestLimitsOptions
{
    /// <summary><c>limits.max_body_bytes</c>: the largest form body of a query request (413 beyond).</summary>
    public long MaxBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary><c>limits.max_form_fields</c>: the most parameters in the URL and the body together (400 beyond).</summary>
    public int MaxFormFields { get; init; } = 1024;
}
