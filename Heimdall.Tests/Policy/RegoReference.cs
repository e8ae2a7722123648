using Heimdall.Core.Policy;

namespace Heimdall.Tests.Policy;

/// <summary>
/// A line-by-line transliteration of <c>opa/heimdall/authz.rego</c> over the plain policy list (no index), used as
/// the reference the indexed <c>LocalPolicyEvaluator</c> must agree with on generated inputs. OPA itself cannot
/// run on this machine; <see cref="OpaDifferentialTests"/> compares against the real OPA where one is installed.
/// </summary>
internal static class RegoReference
{
    public static TenantDecision Decide(PolicySnapshot data, AuthorizationRequest input, string tenant)
    {
        if (!data.Tenants.Any(t => t.Id == tenant))
        {
            return TenantDecision.Denied;
        }
        var matching = data.Policies.Where(p => PolicyMatches(p, input, tenant)).ToList();
        if (matching.Any(p => p.Effect == "deny"))
        {
            return TenantDecision.Denied;
        }
        var allows = matching.Where(p => p.Effect == "allow").ToList();
        if (allows.Count == 0)
        {
            return TenantDecision.Denied;
        }
        if (allows.Any(p => p.Filters.Count == 0))
        {
            return TenantDecision.Unrestricted;
        }
        // sort({sort({f | some f in filters}) | ...}): sets sorted in OPA's order, which is byte order of UTF-8.
        var alternatives = allows
            .Select(p => p.Filters.Distinct().OrderBy(f => f, Utf8Order.Instance).ToArray())
            .Distinct(new ArrayEquality())
            .OrderBy(a => a, new ArrayOrder())
            .Select(a => (IReadOnlyList<string>)a)
            .ToList();
        return new TenantDecision { Allow = true, Filters = alternatives };
    }

    private static bool PolicyMatches(AccessPolicy p, AuthorizationRequest input, string tenant) =>
        SubjectMatches(p, input) && Listed(p.Actions, input.Action) && Listed(p.Scope.Tenants, tenant) &&
        Listed(p.Scope.Resources, input.Resource);

    private static bool SubjectMatches(AccessPolicy p, AuthorizationRequest input) =>
        p.Subjects.Any(s => s.Type == "user" && Listed([s.Id], input.User)) ||
        p.Subjects.Any(s => s.Type == "group" && input.Groups.Any(g => Listed([s.Id], g)));

    private static bool Listed(IReadOnlyList<string> xs, string value) => xs.Contains("*") || xs.Contains(value);

    /// <summary>Go's string order: bytes of UTF-8.</summary>
    internal sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(string? x, string? y) =>
            System.Text.Encoding.UTF8.GetBytes(x!).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y!));
    }

    private sealed class ArrayOrder : IComparer<string[]>
    {
        public int Compare(string[]? x, string[]? y)
        {
            for (var i = 0; i < Math.Min(x!.Length, y!.Length); i++)
            {
                var c = Utf8Order.Instance.Compare(x[i], y[i]);
                if (c != 0)
                {
                    return c;
                }
            }
            return x.Length.CompareTo(y.Length);
        }
    }

    private sealed class ArrayEquality : IEqualityComparer<string[]>
    {
        public bool Equals(string[]? x, string[]? y) => x!.SequenceEqual(y!);

        public int GetHashCode(string[] obj) => string.Join("\0", obj).GetHashCode(StringComparison.Ordinal);
    }
}
