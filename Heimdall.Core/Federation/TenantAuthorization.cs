using Heimdall.Core.Policy;

namespace Heimdall.Core.Federation;

/// <summary>The tenants of a request and their decisions, or the refusal (400, 403, 422, 503).</summary>
internal sealed record TenantAuthorization
{
    /// <summary>The tenants, deduplicated, every one allowed.</summary>
    public IReadOnlyList<string> Tenants { get; init; } = [];

    /// <summary>The decision of each tenant in <see cref="Tenants"/>.</summary>
    public IReadOnlyDictionary<string, TenantDecision> Decisions { get; init; } = new Dictionary<string, TenantDecision>();

    /// <summary>True when the tenants came from the caller's grants (no <c>X-Scope-OrgID</c>).</summary>
    public bool AutoResolved { get; init; }

    /// <summary>The status code of a refusal.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Why the request was refused; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>True when every tenant is allowed.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A refusal.</summary>
    public static TenantAuthorization Fail(int statusCode, string error) => new() { StatusCode = statusCode, Error = error };
}
