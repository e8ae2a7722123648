namespace Heimdall.Core.Federation;

/// <summary>
/// Decides whether a label set is inside a tenant's grant (label-matcher alternatives in disjunctive normal form).
/// Used to filter rules and alerts, which Mimir's ruler does not federate and Heimdall cannot rewrite.
/// </summary>
/// <remarks>
/// Integration seam: <see cref="LabelMatcherGrant"/> parses the decision's matcher strings with a small parser of
/// its own; once the PromQL engine is merged it can be built from the engine's parsed label matchers instead.
/// </remarks>
internal interface IGrantMatcher
{
    /// <summary>True when the grant has an empty alternative: every label set matches.</summary>
    bool IsUnrestricted { get; }

    /// <summary>True when some alternative's matchers all match <paramref name="labels"/> (a missing label is the empty string).</summary>
    bool Matches(IReadOnlyDictionary<string, string> labels);
}
