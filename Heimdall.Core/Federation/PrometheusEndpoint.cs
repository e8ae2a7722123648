using System.Collections.Frozen;

namespace Heimdall.Core.Federation;

/// <summary>One allowed Prometheus API endpoint: its path, methods, action, treatment and parameter rules.</summary>
internal sealed record PrometheusEndpoint
{
    /// <summary>The path after <c>/api/v1/</c> (e.g. <c>query_range</c>, <c>label/{name}/values</c>); <c>/federate</c> is rooted.</summary>
    public required string Path { get; init; }

    /// <summary>Methods clients may use.</summary>
    public required FrozenSet<string> Methods { get; init; }

    /// <summary>The policy action it needs (see <c>PolicyActions</c>).</summary>
    public required string Action { get; init; }

    /// <summary>What the gateway does with it.</summary>
    public required EndpointTreatment Treatment { get; init; }

    /// <summary>The method used upstream: <c>POST</c> sends parameters as a form body, <c>GET</c> as the query string.</summary>
    public string UpstreamMethod { get; init; } = "GET";

    /// <summary>Parameters allowed at most once.</summary>
    public FrozenSet<string> SingleParameters { get; init; } = FrozenSet<string>.Empty;

    /// <summary>Parameters allowed several times (<c>match[]</c>).</summary>
    public FrozenSet<string> MultiParameters { get; init; } = FrozenSet<string>.Empty;

    /// <summary>Parameters that must be present and non-empty.</summary>
    public FrozenSet<string> RequiredParameters { get; init; } = FrozenSet<string>.Empty;

    /// <summary>True for <c>label/{name}/values</c>: the path holds a label name.</summary>
    public bool HasLabelName => Path.Contains("{name}", StringComparison.Ordinal);

    /// <summary>True when <paramref name="name"/> is a parameter of this endpoint.</summary>
    public bool Allows(string name) => SingleParameters.Contains(name) || MultiParameters.Contains(name);

    /// <summary>The upstream path after the base URL (<c>/api/v1/…</c> or <c>/federate</c>), with the label name filled in.</summary>
    public string UpstreamPath(string? labelName) =>
        Path.StartsWith('/') ? Path : "/api/v1/" + (labelName is null ? Path : Path.Replace("{name}", Uri.EscapeDataString(labelName), StringComparison.Ordinal));
}
