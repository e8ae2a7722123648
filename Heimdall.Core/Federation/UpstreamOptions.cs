namespace Heimdall.Core.Federation;

/// <summary>The Prometheus-compatible upstream (the <c>mimir</c> section of the configuration).</summary>
public sealed record UpstreamOptions
{
    /// <summary>
    /// <c>mimir.url</c>: the base URL under which <c>/api/v1/…</c> lives, e.g. <c>http://mimir:8080/prometheus</c>
    /// for Mimir (its Prometheus prefix) or <c>http://prometheus:9090</c>. A trailing <c>/</c> or <c>/api/v1</c> is ignored.
    /// </summary>
    public Uri? Url { get; init; }

    /// <summary>
    /// <c>mimir.remote_write_url</c>: where remote-write pushes go. Default: Mimir's <c>/api/v1/push</c> at the
    /// root of <see cref="Url"/> (without the <c>/prometheus</c> prefix). For a Prometheus receiver use its <c>/api/v1/write</c>.
    /// </summary>
    public Uri? RemoteWriteUrl { get; init; }

    /// <summary>
    /// <c>mimir.tenant_urls</c>: per-tenant base URLs (same rules as <see cref="Url"/>); a tenant listed here is always
    /// queried on its own (fan-out), never federated with others.
    /// </summary>
    public IReadOnlyDictionary<string, Uri> TenantUrls { get; init; } = new Dictionary<string, Uri>(StringComparer.Ordinal);

    /// <summary><c>mimir.insecure_skip_verify</c>: accept any TLS certificate (testing only).</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary><c>mimir.ca_file</c>: a PEM file of CA certificates trusted instead of the system store.</summary>
    public string? CaFile { get; init; }

    /// <summary><c>mimir.auth</c>: credentials for the upstream.</summary>
    public UpstreamAuthOptions Auth { get; init; } = new();

    /// <summary><c>mimir.compression</c>: <c>none</c> (default) or <c>gzip</c> to ask the upstream for compressed answers.</summary>
    public UpstreamCompression Compression { get; init; } = UpstreamCompression.None;

    /// <summary><c>mimir.max_connections_per_server</c>: connection-pool bound per upstream host.</summary>
    public int MaxConnectionsPerServer { get; init; } = 256;

    /// <summary><c>mimir.pooled_connection_lifetime</c>: how long a pooled connection is reused (DNS changes are seen after it).</summary>
    public TimeSpan PooledConnectionLifetime { get; init; } = TimeSpan.FromMinutes(5);
}
