using Heimdall.Core.Federation;
using Heimdall.Core.Identity;
using Heimdall.Core.Policy;

namespace Heimdall.Tests.AspNetCore.Gateway;

/// <summary>
/// Stand-ins for identity and policy evaluation, used only by <see cref="GatewayHost.StartAsync"/>: for fault injection
/// (<see cref="TablePolicyEvaluator.Unavailable"/>, an evaluator that is down) and by tests outside the gateway's core
/// (remote write) that set decisions per test. The gateway's own tests run on the real identity path
/// (<see cref="RealIdentityPath"/>). The authenticator takes <c>Authorization: Bearer &lt;user&gt;</c>.
/// </summary>
internal sealed class HeaderAuthenticator : IAuthenticator
{
    public ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken = default)
    {
        var h = request.Headers.TryGetValue("Authorization", out var value) && !value.Contains('\n') ? value : "";
        string? user = null;
        if (h.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            user = h["Bearer ".Length..];
        }
        else if (h.StartsWith("Basic ", StringComparison.Ordinal))
        {
            // promtool has no auth flags; it sends basic auth from the URL's user info.
            user = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(h["Basic ".Length..])).Split(':')[0];
        }
        return ValueTask.FromResult(string.IsNullOrEmpty(user)
            ? AuthenticationResult.Fail("missing bearer token", "Bearer realm=\"heimdall\"")
            : AuthenticationResult.Success(new CallerIdentity { User = user }));
    }
}

/// <summary>Decisions from a table: (user, action) → tenant → decision; tenants absent from the table are denied.</summary>
internal sealed class TablePolicyEvaluator : IPolicyEvaluator
{
    public Dictionary<(string User, string Action), Dictionary<string, TenantDecision>> Table { get; } = [];

    public bool Unavailable { get; set; }

    public int Calls;

    public ValueTask<AuthorizationResult> EvaluateAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        if (Unavailable)
        {
            return ValueTask.FromResult(AuthorizationResult.Unavailable("opa is down"));
        }
        var grants = Table.GetValueOrDefault((request.User, request.Action)) ?? [];
        return ValueTask.FromResult(AuthorizationResult.Success(request.Tenants.ToDictionary(t => t, t => grants.GetValueOrDefault(t) ?? TenantDecision.Denied)));
    }
}

