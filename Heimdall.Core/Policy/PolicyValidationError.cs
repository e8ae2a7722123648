namespace Heimdall.Core.Policy;

/// <summary>
/// One validation failure, precise enough to fix the input: which policy or tenant, which field
/// (<c>filters[0]</c>, <c>scope.tenants[2]</c>) and what is wrong.
/// </summary>
/// <param name="Policy">The policy's name (or <c>#index</c> when it has none); null for a tenant or document error.</param>
/// <param name="Tenant">The tenant's ID (or <c>#index</c>); null for a policy or document error.</param>
/// <param name="Field">The field path inside the policy or tenant, or inside the document.</param>
/// <param name="Message">What is wrong.</param>
public sealed record PolicyValidationError(string? Policy, string? Tenant, string Field, string Message)
{
    /// <summary>A failure in a policy.</summary>
    public static PolicyValidationError ForPolicy(string policy, string field, string message) => new(policy, null, field, message);

    /// <summary>A failure in a tenant.</summary>
    public static PolicyValidationError ForTenant(string tenant, string field, string message) => new(null, tenant, field, message);

    /// <summary>A failure in the document itself (syntax, shape).</summary>
    public static PolicyValidationError ForDocument(string field, string message) => new(null, null, field, message);

    /// <summary>E.g. <c>policy "allow-x": filters[0]: unknown operator</c>.</summary>
    public override string ToString()
    {
        var where = Policy is not null ? $"policy \"{Policy}\"" : Tenant is not null ? $"tenant \"{Tenant}\"" : "document";
        return Field.Length == 0 ? $"{where}: {Message}" : $"{where}: {Field}: {Message}";
    }
}
