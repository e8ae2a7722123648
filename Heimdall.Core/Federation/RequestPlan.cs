namespace Heimdall.Core.Federation;

/// <summary>
/// How one client request is answered: the upstream requests to send and how to combine them, or an answer
/// made locally (no upstream call), or a refusal.
/// </summary>
internal sealed record RequestPlan
{
    /// <summary>The upstream requests, each with its own parameter copy.</summary>
    public IReadOnlyList<UpstreamRequest> Requests { get; init; } = [];

    /// <summary>How responses merge; null for non-JSON endpoints (<c>/federate</c>) or pass-through endpoints.</summary>
    public ResponseKind? Kind { get; init; }

    /// <summary>True when the single upstream response is sent to the client as it came (status, type, body).</summary>
    public bool PassThrough { get; init; }

    /// <summary>True when the client request names two or more tenants: the answer is Mimir's federated view (<c>__tenant_id__</c>).</summary>
    public bool Federated { get; init; }

    /// <summary>For <c>metadata</c> merged from several answers or filtered by a grant: the names requests and limits.</summary>
    public MetadataPlan? Metadata { get; init; }

    /// <summary>A complete JSON answer made without the upstream (e.g. <c>__tenant_id__</c> values, nothing visible).</summary>
    public string? LocalResponse { get; init; }

    /// <summary>The status code of a refusal.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Why the request was refused; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>True unless refused.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A refusal.</summary>
    public static RequestPlan Fail(int statusCode, string error) => new() { StatusCode = statusCode, Error = error };
}
