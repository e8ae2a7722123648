using Heimdall.Core.Policy;
using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Core.Federation;

/// <summary>
/// An <see cref="IGrantMatcher"/> over a decision's grant, parsed by the PromQL engine (alternatives ORed,
/// matchers ANDed; the same matcher semantics as the query rewriter).
/// </summary>
internal sealed class LabelMatcherGrant : IGrantMatcher
{
    private readonly Grant _grant;

    private LabelMatcherGrant(Grant grant) => _grant = grant;

    /// <summary>Matches every label set.</summary>
    public static LabelMatcherGrant Unrestricted { get; } = new(Grant.Unrestricted);

    /// <inheritdoc />
    public bool IsUnrestricted => _grant.IsUnrestricted;

    /// <summary>Builds the grant of an allowed decision; a denial, or a matcher that does not parse, is an error (fail closed).</summary>
    public static LabelMatcherGrant? TryCreate(TenantDecision decision, out string? error)
    {
        if (!Grant.TryFromDecision(decision, out var grant, out var why))
        {
            error = why;
            return null;
        }
        error = null;
        return new LabelMatcherGrant(grant);
    }

    /// <inheritdoc />
    public bool Matches(IReadOnlyDictionary<string, string> labels) => _grant.Matches(labels);
}
