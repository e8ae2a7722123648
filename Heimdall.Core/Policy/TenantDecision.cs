namespace Heimdall.Core.Policy;

/// <summary>
/// The decision for one tenant: allowed or not, and the grant as label-matcher alternatives in
/// disjunctive normal form. <c>[[]]</c> (one empty alternative) is unrestricted.
/// </summary>
public sealed record TenantDecision
{
    /// <summary>Whether access is allowed.</summary>
    public required bool Allow { get; init; }

    /// <summary>Alternatives (ORed), each a list of PromQL label matchers (ANDed). Empty when denied.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Filters { get; init; } = [];

    /// <summary>A denial.</summary>
    public static TenantDecision Denied { get; } = new() { Allow = false };

    /// <summary>Unrestricted access.</summary>
    public static TenantDecision Unrestricted { get; } = new() { Allow = true, Filters = [Array.Empty<string>()] };

    /// <summary>True when allowed with one empty alternative.</summary>
    public bool IsUnrestricted => Allow && Filters.Any(f => f.Count == 0);
}
