namespace Heimdall.Core.Federation;

/// <summary>Bounds of the per-tenant fan-out (the <c>fanout</c> section of the configuration).</summary>
public sealed record FanoutOptions
{
    /// <summary>
    /// <c>fanout.max_concurrency</c>: upstream requests in flight across all client requests. A request that finds
    /// no free slot within <see cref="QueueTimeout"/> is refused with 429.
    /// </summary>
    public int MaxConcurrency { get; init; } = 64;

    /// <summary><c>fanout.queue_timeout</c>: how long an upstream request may wait for a free slot (default: not at all).</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.Zero;

    /// <summary><c>fanout.timeout</c>: the timeout of each upstream request (504 naming the tenant when exceeded).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// <c>fanout.partial_response</c>: when some tenants fail, answer with the others' data and a warning naming
    /// each failed tenant, instead of failing the request. Off by default.
    /// </summary>
    public bool PartialResponse { get; init; }

    /// <summary><c>fanout.max_response_bytes</c>: the largest upstream response body buffered for merging.</summary>
    public long MaxResponseBytes { get; init; } = 512L * 1024 * 1024;
}
