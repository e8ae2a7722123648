namespace Heimdall.AspNetCore.Bundles;

/// <summary>The OPA bundle endpoint, <c>GET /bundles/bundle.tar.gz</c> on the bundle listener (YAML section <c>bundle</c>).</summary>
public sealed record BundleEndpointOptions
{
    /// <summary>
    /// The bearer token OPA must send (<c>bundle.token</c>; OPA's <c>services.heimdall.credentials.bearer.token</c>).
    /// Without it every request is refused unless <see cref="AllowAnonymous"/> is set.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>Serves the bundle without a token (<c>bundle.allow_anonymous</c>): for the local demo only. Default false.</summary>
    public bool AllowAnonymous { get; init; }

    /// <summary>
    /// The longest a long-poll request (<c>Prefer: ...;wait=N</c>) is held (<c>bundle.max_long_poll_wait</c>),
    /// whatever N is. Default 60 seconds.
    /// </summary>
    public TimeSpan MaxLongPollWait { get; init; } = TimeSpan.FromSeconds(60);
}
