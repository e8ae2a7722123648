namespace Heimdall.Core.Policy;

/// <summary>One policy prepared for evaluation: its matching lists as arrays and its grant precomputed.</summary>
internal sealed class CompiledPolicy
{
    private readonly string[] _actions;
    private readonly bool _anyAction;
    private readonly string[] _resources;
    private readonly bool _anyResource;

    public CompiledPolicy(AccessPolicy policy, string[] alternative)
    {
        Name = policy.Name;
        IsDeny = string.Equals(policy.Effect, PolicyEffects.Deny, StringComparison.Ordinal);
        _actions = [.. policy.Actions ?? []];
        _anyAction = _actions.Contains(PolicyActions.Any, StringComparer.Ordinal);
        _resources = [.. policy.Scope?.Resources ?? []];
        _anyResource = _resources.Contains(PolicyResources.Any, StringComparer.Ordinal);
        Alternative = alternative;
        IsUnrestricted = !IsDeny && alternative.Length == 0;
        Decision = IsDeny ? TenantDecision.Denied
            : IsUnrestricted ? TenantDecision.Unrestricted
            : new TenantDecision { Allow = true, Filters = [alternative] };
    }

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>A deny policy (otherwise an allow).</summary>
    public bool IsDeny { get; }

    /// <summary>An allow without filters.</summary>
    public bool IsUnrestricted { get; }

    /// <summary>The policy's filters, sorted and deduplicated.</summary>
    public string[] Alternative { get; }

    /// <summary>The decision when this is the only matching policy.</summary>
    public TenantDecision Decision { get; }

    /// <summary>True when the action and resource are covered (subject and tenant are matched by the index).</summary>
    public bool Covers(string action, string resource) =>
        (_anyAction || Contains(_actions, action)) && (_anyResource || Contains(_resources, resource));

    private static bool Contains(string[] values, string value)
    {
        foreach (var v in values)
        {
            if (string.Equals(v, value, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
