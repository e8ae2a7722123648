using Heimdall.Core.Diagnostics;
using Heimdall.Core.Identity;
using Heimdall.Core.Policy;

namespace Heimdall.Core.Federation;

/// <summary>
/// Resolves and authorizes the tenants of a request in one policy evaluation (DESIGN §2): the tenants named in
/// <c>X-Scope-OrgID</c>, each of which must be allowed (any refusal fails the whole request with 403, never
/// silently dropped), or without the header every tenant the caller may access for the action.
/// </summary>
/// <remarks>
/// Auto-resolution asks about every tenant of the policy snapshot in one request, the same list for every caller at a
/// given revision; the decision cache in front of the evaluator (<c>CachingPolicyEvaluator</c>, keyed by user, groups,
/// tenants, action and policy revision, bounded, counted in <c>heimdall_tenant_cache_hits_total</c>) therefore caches
/// the resolved tenants per identity and revision, and drops them when the revision changes.
/// </remarks>
internal sealed class TenantAuthorizer(IPolicyEvaluator evaluator, IPolicySnapshotProvider? snapshots = null)
{
    /// <summary>Authorizes <paramref name="caller"/> for <paramref name="action"/> on the tenants of <paramref name="header"/>.</summary>
    public async ValueTask<TenantAuthorization> AuthorizeAsync(CallerIdentity caller, TenantHeaderResult header, string action,
        CancellationToken cancellationToken)
    {
        switch (header.Status)
        {
            case TenantHeaderStatus.Invalid:
                return TenantAuthorization.Fail(400, header.Error!);
            case TenantHeaderStatus.TooManyTenants:
                return TenantAuthorization.Fail(422, header.Error!);
            case TenantHeaderStatus.Valid:
                if (caller.Tenants is { } own && header.Tenants.Where(t => !own.Contains(t, StringComparer.Ordinal)).ToList() is { Count: > 0 } outside)
                {
                    return TenantAuthorization.Fail(403, $"the credential does not grant tenant {TenantHeader.Format(outside)}");
                }
                break;
        }

        var autoResolved = header.Status == TenantHeaderStatus.Absent;
        IReadOnlyList<string> candidates;
        if (!autoResolved)
        {
            candidates = header.Tenants;
        }
        else if (caller.Tenants is { } fromCredential)
        {
            candidates = [.. fromCredential.Distinct(StringComparer.Ordinal).Where(t => Heimdall.Core.Policy.TenantIdRules.Validate(t) is null)];
        }
        else if (snapshots is not null)
        {
            candidates = [.. snapshots.Current.Tenants.Select(t => t.Id)];
        }
        else
        {
            return TenantAuthorization.Fail(400, $"the {TenantHeader.Name} header is required");
        }
        if (candidates.Count == 0)
        {
            return TenantAuthorization.Fail(403, $"no tenant is granted for {action}");
        }

        AuthorizationResult result;
        using (var activity = HeimdallDiagnostics.ActivitySource.StartActivity(SpanNames.EvaluateTenants))
        {
            activity?.SetTag("heimdall.tenant_count", candidates.Count);
            activity?.SetTag("heimdall.action", action);
            result = await evaluator.EvaluateAsync(new AuthorizationRequest
            {
                User = caller.User,
                Groups = caller.Groups,
                Tenants = candidates,
                Action = action,
            }, cancellationToken).ConfigureAwait(false);
        }
        if (!result.Succeeded)
        {
            return TenantAuthorization.Fail(503, "authorization is unavailable: " + result.Error);
        }

        var allowed = new List<string>(candidates.Count);
        var denied = new List<string>();
        var decisions = new Dictionary<string, TenantDecision>(StringComparer.Ordinal);
        foreach (var tenant in candidates)
        {
            if (result.Decisions.TryGetValue(tenant, out var decision) && decision.Allow && decision.Filters.Count > 0)
            {
                allowed.Add(tenant);
                decisions[tenant] = decision;
            }
            else
            {
                denied.Add(tenant);
            }
        }
        if (!autoResolved && denied.Count > 0)
        {
            return TenantAuthorization.Fail(403, $"access denied to tenant {TenantHeader.Format(denied)} for {action}");
        }
        if (allowed.Count == 0)
        {
            return TenantAuthorization.Fail(403, $"no tenant is granted for {action}");
        }
        return new TenantAuthorization { Tenants = allowed, Decisions = decisions, AutoResolved = autoResolved };
    }
}
