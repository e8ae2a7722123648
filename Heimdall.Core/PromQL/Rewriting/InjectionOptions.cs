namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>Options of <see cref="LabelInjector"/>.</summary>
public sealed record InjectionOptions
{
    /// <summary>The defaults: not strict.</summary>
    public static InjectionOptions Default { get; } = new();

    /// <summary>
    /// When true, a selector whose own equality matchers contradict every alternative of the grant (so that it could
    /// only return data the caller may not see) fails with <see cref="InjectionErrorKind.Forbidden"/> instead of being
    /// rewritten into a selector that returns nothing.
    /// </summary>
    public bool Strict { get; init; }
}
