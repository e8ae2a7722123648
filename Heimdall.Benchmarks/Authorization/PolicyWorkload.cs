using Heimdall.Core.Policy;

namespace Heimdall.Benchmarks.Authorization;

/// <summary>
/// A large, realistic store: 10,000 tenants and 50,000 policies over 5,000 users and 200 groups; half the policies
/// carry filters, a few are wildcards or denies.
/// </summary>
internal static class PolicyWorkload
{
    public static PolicySnapshot Create(int tenants = 10_000, int policies = 50_000)
    {
        var tenantList = Enumerable.Range(0, tenants).Select(i => new Tenant { Id = $"tenant-{i:D5}", Name = $"Tenant {i}" }).ToArray();
        var policyList = new AccessPolicy[policies];
        for (var i = 0; i < policies; i++)
        {
            var subject = i % 3 == 0
                ? new PolicySubject { Type = PolicySubjectTypes.Group, Id = $"group-{i % 200}" }
                : new PolicySubject { Type = PolicySubjectTypes.User, Id = $"user-{i % 5000}@example.com" };
            policyList[i] = new AccessPolicy
            {
                Name = $"policy-{i:D6}",
                Effect = i % 97 == 0 ? PolicyEffects.Deny : PolicyEffects.Allow,
                Subjects = [subject],
                Actions = i % 5 == 0 ? ["*"] : [PolicyActions.Read],
                Scope = new PolicyScope { Tenants = i % 1000 == 1 ? ["*"] : [$"tenant-{i % tenants:D5}"], Resources = [PolicyResources.Metrics] },
                Filters = i % 97 == 0 || i % 2 == 0 ? [] : [$"env=\"env-{i % 7}\"", $"team=~\"team-{i % 11}|shared\""],
            };
        }
        return new PolicySnapshot { Revision = 1, Tenants = tenantList, Policies = policyList };
    }

    /// <summary>
    /// A user with four own policies and one group policy on the tenant asked for, all with filters: the decision
    /// merges five alternatives (the slow path; a single matching policy answers without allocating).
    /// </summary>
    public static AuthorizationRequest OneTenantRequest() => new()
    {
        User = "user-43@example.com",
        Groups = ["group-43", "group-7", "group-150"],
        Tenants = ["tenant-00043"],
        Action = PolicyActions.Read,
    };
}
