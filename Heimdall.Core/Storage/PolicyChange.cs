using Heimdall.Core.Policy;

namespace Heimdall.Core.Storage;

/// <summary>One change in a batch given to <see cref="IPolicyStore.ApplyAsync"/>; build it with the factory methods.</summary>
public sealed record PolicyChange
{
    private PolicyChange(PolicyChangeKind kind, string key)
    {
        Kind = kind;
        Key = key;
    }

    /// <summary>What the change does.</summary>
    public PolicyChangeKind Kind { get; }

    /// <summary>The tenant ID or policy name the change is about (empty for <see cref="PolicyChangeKind.ReplaceAll"/>).</summary>
    public string Key { get; }

    /// <summary>The new tenant (create, replace, upsert).</summary>
    public Tenant? Tenant { get; private init; }

    /// <summary>The new policy (create, replace, upsert).</summary>
    public AccessPolicy? Policy { get; private init; }

    /// <summary>The whole new content (replace all).</summary>
    public PolicyDocument? Document { get; private init; }

    /// <summary>Adds a tenant.</summary>
    public static PolicyChange CreateTenant(Tenant tenant) => new(PolicyChangeKind.CreateTenant, tenant.Id) { Tenant = tenant };

    /// <summary>Replaces the tenant with <paramref name="tenant"/>'s ID.</summary>
    public static PolicyChange ReplaceTenant(Tenant tenant) => new(PolicyChangeKind.ReplaceTenant, tenant.Id) { Tenant = tenant };

    /// <summary>Adds or replaces a tenant.</summary>
    public static PolicyChange UpsertTenant(Tenant tenant) => new(PolicyChangeKind.UpsertTenant, tenant.Id) { Tenant = tenant };

    /// <summary>Removes a tenant.</summary>
    public static PolicyChange DeleteTenant(string id) => new(PolicyChangeKind.DeleteTenant, id);

    /// <summary>Adds a policy.</summary>
    public static PolicyChange CreatePolicy(AccessPolicy policy) => new(PolicyChangeKind.CreatePolicy, policy.Name) { Policy = policy };

    /// <summary>Replaces the policy with <paramref name="policy"/>'s name.</summary>
    public static PolicyChange ReplacePolicy(AccessPolicy policy) => new(PolicyChangeKind.ReplacePolicy, policy.Name) { Policy = policy };

    /// <summary>Adds or replaces a policy.</summary>
    public static PolicyChange UpsertPolicy(AccessPolicy policy) => new(PolicyChangeKind.UpsertPolicy, policy.Name) { Policy = policy };

    /// <summary>Removes a policy.</summary>
    public static PolicyChange DeletePolicy(string name) => new(PolicyChangeKind.DeletePolicy, name);

    /// <summary>Replaces every tenant and policy with <paramref name="document"/>'s.</summary>
    public static PolicyChange ReplaceAll(PolicyDocument document) => new(PolicyChangeKind.ReplaceAll, "") { Document = document };
}
