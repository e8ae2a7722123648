using Heimdall.Core.Policy;

namespace Heimdall.Tests.Policy;

/// <summary>Builders for policies, snapshots and requests shared by the authorization tests.</summary>
internal static class PolicyFixtures
{
    public static readonly Tenant[] Tenants = [new() { Id = "acme", Name = "Acme" }, new() { Id = "globex", Name = "Globex" }, new() { Id = "initech", Name = "Initech" }];

    public static PolicySubject User(string id) => new() { Type = "user", Id = id };

    public static PolicySubject Group(string id) => new() { Type = "group", Id = id };

    public static AccessPolicy Allow(string name, PolicySubject[] subjects, string[] actions, string[] tenants, params string[] filters) => new()
    {
        Name = name,
        Effect = "allow",
        Subjects = subjects,
        Actions = actions,
        Scope = new PolicyScope { Tenants = tenants, Resources = ["metrics"] },
        Filters = filters,
    };

    public static AccessPolicy Deny(string name, PolicySubject[] subjects, string[] actions, string[] tenants) => new()
    {
        Name = name,
        Effect = "deny",
        Subjects = subjects,
        Actions = actions,
        Scope = new PolicyScope { Tenants = tenants, Resources = ["metrics"] },
    };

    public static PolicySnapshot Snapshot(params AccessPolicy[] policies) =>
        new() { Revision = 1, Tenants = Tenants, Policies = policies };

    public static AuthorizationRequest Request(string user, string[] groups, string[] tenants, string action = "read", string resource = "metrics") =>
        new() { User = user, Groups = groups, Tenants = tenants, Action = action, Resource = resource };

    /// <summary>A decision as compact text for assertions: <c>deny</c>, or <c>allow [[a,b],[c]]</c>.</summary>
    public static string Show(TenantDecision decision) =>
        decision.Allow ? "allow [" + string.Join(",", decision.Filters.Select(a => "[" + string.Join(",", a) + "]")) + "]" : "deny" + (decision.Filters.Count == 0 ? "" : " with filters!");
}
