namespace Heimdall.Core.Policy;

/// <summary>
/// A <see cref="PolicySnapshot"/> indexed by subject, then by tenant, so that a decision looks only at the policies
/// naming the caller (or <c>"*"</c>) and the tenant (or <c>"*"</c>), however many policies there are. Immutable.
/// </summary>
internal sealed class PolicyIndex
{
    private readonly HashSet<string> _tenants;
    private readonly Dictionary<string, SubjectPolicies> _users;
    private readonly Dictionary<string, SubjectPolicies> _groups;
    private readonly SubjectPolicies? _anyUser;
    private readonly SubjectPolicies? _anyGroup;

    private PolicyIndex(PolicySnapshot snapshot, HashSet<string> tenants,
        Dictionary<string, SubjectPolicies> users, Dictionary<string, SubjectPolicies> groups)
    {
        Snapshot = snapshot;
        _tenants = tenants;
        _users = users;
        _groups = groups;
        _anyUser = users.GetValueOrDefault(Wildcard);
        _anyGroup = groups.GetValueOrDefault(Wildcard);
    }

    private const string Wildcard = "*";

    /// <summary>The snapshot this index was built from.</summary>
    public PolicySnapshot Snapshot { get; }

    /// <summary>Builds the index; policies with an unknown effect or subject type are ignored (they match nothing).</summary>
    public static PolicyIndex Build(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var tenants = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tenant in snapshot.Tenants)
        {
            tenants.Add(tenant.Id);
        }

        var users = new Dictionary<string, SubjectPolicies.Builder>(StringComparer.Ordinal);
        var groups = new Dictionary<string, SubjectPolicies.Builder>(StringComparer.Ordinal);
        // Equal filter lists share one array, so duplicate alternatives are cheap to recognise.
        var alternatives = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var policy in snapshot.Policies)
        {
            if (policy.Effect is not (PolicyEffects.Allow or PolicyEffects.Deny))
            {
                continue;
            }
            var alternative = MatcherOrder.Canonicalize(policy.Filters ?? []);
            var key = string.Join('\0', alternative);
            if (!alternatives.TryGetValue(key, out var shared))
            {
                alternatives[key] = shared = alternative;
            }
            var compiled = new CompiledPolicy(policy, shared);
            foreach (var subject in policy.Subjects ?? [])
            {
                var byId = subject?.Type switch
                {
                    PolicySubjectTypes.User => users,
                    PolicySubjectTypes.Group => groups,
                    _ => null,
                };
                if (byId is null || subject!.Id is null)
                {
                    continue;
                }
                if (!byId.TryGetValue(subject.Id, out var builder))
                {
                    byId[subject.Id] = builder = new SubjectPolicies.Builder();
                }
                foreach (var tenant in policy.Scope?.Tenants ?? [])
                {
                    if (tenant is not null)
                    {
                        builder.Add(tenant, compiled);
                    }
                }
            }
        }
        return new PolicyIndex(snapshot, tenants,
            users.ToDictionary(kv => kv.Key, kv => kv.Value.Build(), StringComparer.Ordinal),
            groups.ToDictionary(kv => kv.Key, kv => kv.Value.Build(), StringComparer.Ordinal));
    }

    /// <summary>Decides one tenant for the caller (DESIGN §3).</summary>
    public TenantDecision Decide(string user, IReadOnlyList<string> groups, string tenant, string action, string resource)
    {
        if (!_tenants.Contains(tenant))
        {
            return TenantDecision.Denied;
        }
        var matches = new Matches(action, resource);
        if (_users.TryGetValue(user, out var own))
        {
            own.Collect(tenant, ref matches);
        }
        if (_anyUser is not null && !ReferenceEquals(_anyUser, own))
        {
            _anyUser.Collect(tenant, ref matches);
        }
        if (groups.Count > 0)
        {
            for (var i = 0; i < groups.Count; i++)
            {
                if (_groups.TryGetValue(groups[i], out var group))
                {
                    group.Collect(tenant, ref matches);
                }
            }
            _anyGroup?.Collect(tenant, ref matches);
        }
        return matches.ToDecision();
    }

    /// <summary>The policies of one subject ID, by tenant.</summary>
    private sealed class SubjectPolicies
    {
        private readonly Dictionary<string, CompiledPolicy[]> _byTenant;
        private readonly CompiledPolicy[] _anyTenant;

        private SubjectPolicies(Dictionary<string, CompiledPolicy[]> byTenant, CompiledPolicy[] anyTenant)
        {
            _byTenant = byTenant;
            _anyTenant = anyTenant;
        }

        public void Collect(string tenant, ref Matches matches)
        {
            if (_byTenant.TryGetValue(tenant, out var policies))
            {
                matches.AddRange(policies);
            }
            matches.AddRange(_anyTenant);
        }

        public sealed class Builder
        {
            private readonly Dictionary<string, List<CompiledPolicy>> _byTenant = new(StringComparer.Ordinal);

            public void Add(string tenant, CompiledPolicy policy)
            {
                if (!_byTenant.TryGetValue(tenant, out var list))
                {
                    _byTenant[tenant] = list = [];
                }
                if (list.Count == 0 || !ReferenceEquals(list[^1], policy))
                {
                    list.Add(policy);
                }
            }

            public SubjectPolicies Build()
            {
                var any = _byTenant.TryGetValue(Wildcard, out var wildcard) ? wildcard.ToArray() : [];
                var byTenant = new Dictionary<string, CompiledPolicy[]>(StringComparer.Ordinal);
                foreach (var (tenant, list) in _byTenant)
                {
                    if (tenant != Wildcard)
                    {
                        byTenant[tenant] = [.. list];
                    }
                }
                return new SubjectPolicies(byTenant, any);
            }
        }
    }

    /// <summary>Accumulates the matching policies of one tenant without allocating in the common cases.</summary>
    private struct Matches(string action, string resource)
    {
        private bool _denied;
        private bool _unrestricted;
        private CompiledPolicy? _first;
        private List<string[]>? _alternatives;

        public void AddRange(CompiledPolicy[] policies)
        {
            foreach (var policy in policies)
            {
                if (_denied || !policy.Covers(action, resource))
                {
                    continue;
                }
                if (policy.IsDeny)
                {
                    _denied = true;
                }
                else if (policy.IsUnrestricted)
                {
                    _unrestricted = true;
                }
                else if (_first is null)
                {
                    _first = policy;
                }
                else if (!ReferenceEquals(_first.Alternative, policy.Alternative))
                {
                    _alternatives ??= [_first.Alternative];
                    _alternatives.Add(policy.Alternative);
                }
            }
        }

        public readonly TenantDecision ToDecision()
        {
            if (_denied)
            {
                return TenantDecision.Denied;
            }
            if (_unrestricted)
            {
                return TenantDecision.Unrestricted;
            }
            if (_first is null)
            {
                return TenantDecision.Denied;
            }
            if (_alternatives is null)
            {
                return _first.Decision;
            }
            return new TenantDecision { Allow = true, Filters = MatcherOrder.SortAndDeduplicate(_alternatives) };
        }
    }
}
