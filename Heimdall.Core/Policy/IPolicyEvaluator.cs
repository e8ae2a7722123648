namespace Heimdall.Core.Policy;

/// <summary>Decides access for all tenants of one request in one call (built-in or OPA).</summary>
public interface IPolicyEvaluator
{
    /// <summary>Evaluates <paramref name="request"/>. Never throws for an unavailable dependency: returns <see cref="AuthorizationResult.Unavailable"/>.</summary>
    ValueTask<AuthorizationResult> EvaluateAsync(AuthorizationRequest request, CancellationToken cancellationToken = default);
}
