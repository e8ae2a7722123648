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
        _hash = ComputeHash(user, groups, tenants, action, resource, revision);
    }

    /// <summary>
    /// One randomized (Marvin) hash over all parts, separated by a character that cannot occur in them unnoticed
    /// (counts are hashed too): one pass is much cheaper than a hash per string.
    /// </summary>
    private static int ComputeHash(string user, IReadOnlyList<string> groups, IReadOnlyList<string> tenants, string action,
        string resource, long revision)
    {
        var length = user.Length + action.Length + resource.Length + groups.Count + tenants.Count + 3;
        for (var i = 0; i < groups.Count; i++)
        {
            length += groups[i].Length;
        }
        for (var i = 0; i < tenants.Count; i++)
        {
            length += tenants[i].Length;
        }
        if (length > 1024)
        {
            var hash = new HashCode();
            hash.Add(user, StringComparer.Ordinal);
            foreach (var group in groups)
            {
                hash.Add(group, StringComparer.Ordinal);
            }
            foreach (var tenant in tenants)
            {
                hash.Add(tenant, StringComparer.Ordinal);
            }
            hash.Add(action, StringComparer.Ordinal);
            hash.Add(resource, StringComparer.Ordinal);
            hash.Add(revision);
            return hash.ToHashCode();
        }
        Span<char> buffer = stackalloc char[length];
        var at = Append(buffer, 0, user);
        for (var i = 0; i < groups.Count; i++)
        {
            at = Append(buffer, at, groups[i]);
        }
        for (var i = 0; i < tenants.Count; i++)
        {
            at = Append(buffer, at, tenants[i]);
        }
        at = Append(buffer, at, action);
        at = Append(buffer, at, resource);
        return HashCode.Combine(string.GetHashCode(buffer[..at]), groups.Count, tenants.Count, revision);
    }

    private static int Append(Span<char> buffer, int at, string value)
    {
        value.AsSpan().CopyTo(buffer[at..]);
        at += value.Length;
        buffer[at] = '\0';
        return at + 1;
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
