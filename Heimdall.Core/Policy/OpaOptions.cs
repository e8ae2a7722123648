namespace Heimdall.Core.Policy;

/// <summary>
/// Where and how to ask Open Policy Agent for decisions (YAML section <c>opa</c>). Without <see cref="Url"/> the
/// built-in evaluator decides.
/// </summary>
public sealed record OpaOptions
{
    /// <summary>OPA's base URL (<c>opa.url</c>), e.g. <c>http://127.0.0.1:8181</c>; null for the built-in evaluator.</summary>
    public Uri? Url { get; init; }

    /// <summary>Time allowed for one decision call (<c>opa.timeout</c>). Default 2 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries after a connection error (<c>opa.max_retries</c>); other failures are not retried. Default 2.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Pause before each retry (<c>opa.retry_delay</c>). Default 50 milliseconds.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Largest answer read from OPA (<c>opa.max_response_bytes</c>); a bigger one fails closed. Default 4 MiB.</summary>
    public int MaxResponseBytes { get; init; } = 4 * 1024 * 1024;
}
