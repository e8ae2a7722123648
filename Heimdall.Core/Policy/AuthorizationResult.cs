namespace Heimdall.Core.Policy;

/// <summary>
/// The outcome of evaluating an <see cref="AuthorizationRequest"/>: a decision per tenant, or the reason
/// no decision could be made (the caller must then fail closed with 503).
/// </summary>
public sealed record AuthorizationResult
{
    /// <summary>Decisions keyed by tenant ID; every requested tenant is present when <see cref="Succeeded"/>.</summary>
    public IReadOnlyDictionary<string, TenantDecision> Decisions { get; init; } = new Dictionary<string, TenantDecision>();

    /// <summary>Why no decision could be made (dependency down, malformed answer); null on success.</summary>
    public string? Error { get; init; }

    /// <summary>True when every tenant was decided.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A result with decisions.</summary>
    public static AuthorizationResult Success(IReadOnlyDictionary<string, TenantDecision> decisions) => new() { Decisions = decisions };

    /// <summary>A failure: the evaluator could not decide.</summary>
    public static AuthorizationResult Unavailable(string error) => new() { Error = error };
}
