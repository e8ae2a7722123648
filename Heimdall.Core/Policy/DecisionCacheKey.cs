namespace Heimdall.Core.Policy;

/// <summary>
/// The identity of a decision: who asks for which tenants, action and resource, at which policy revision.
/// Lookups wrap the request's lists without copying; stored keys own copies.
/// </summary>
internal readonly struct DecisionCacheKey : IEquatable<DecisionCacheKey>
{
    private readonly string _user;
    private readonly IReadOnlyList<string> _groups;
    private readonly IReadOnlyList<string> _tenants;
    private readonly string _action;
    private readonly string _resource;
    private readonly long _revision;
    private readonly int _hash;

    public DecisionCacheKey(AuthorizationRequest request, long revision)
        : this(request.User, request.Groups, request.Tenants, request.Action, request.Resource, revision)
    {
    }

    private DecisionCacheKey(string user, IReadOnlyList<string> groups, IReadOnlyList<string> tenants, string action,
        string resource, long revision)
    {
        _user = user;
        _groups = groups;
        _tenants = tenants;
        _action = action;
        _resource = resource;
        _revision = revision;
        var hash = new HashCode();
        hash.Add(user, StringComparer.Ordinal);
        hash.Add(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            hash.Add(groups[i], StringComparer.Ordinal);
        }
        hash.Add(tenants.Count);
        for (var i = 0; i < tenants.Count; i++)
        {
            hash.Add(tenants[i], StringComparer.Ordinal);
        }
        hash.Add(action, StringComparer.Ordinal);
        hash.Add(resource, StringComparer.Ordinal);
        hash.Add(revision);
        _hash = hash.ToHashCode();
    }

    /// <summary>A copy that does not share the request's (possibly mutable) lists.</summary>
    public DecisionCacheKey ToOwned() =>
        new(_user, _groups.ToArray(), _tenants.ToArray(), _action, _resource, _revision);

    public bool Equals(DecisionCacheKey other) =>
        _hash == other._hash && _revision == other._revision &&
        string.Equals(_user, other._user, StringComparison.Ordinal) &&
        string.Equals(_action, other._action, StringComparison.Ordinal) &&
        string.Equals(_resource, other._resource, StringComparison.Ordinal) &&
        SequenceEqual(_groups, other._groups) && SequenceEqual(_tenants, other._tenants);

    public override bool Equals(object? obj) => obj is DecisionCacheKey other && Equals(other);

    public override int GetHashCode() => _hash;

    private static bool SequenceEqual(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
