namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>The outcome of <see cref="MatchSelectors.Rewrite"/>.</summary>
public sealed record MatchSelectorsResult
{
    /// <summary>The <c>match[]</c> selectors to send upstream (their union is what the caller may see).</summary>
    public IReadOnlyList<string> Selectors { get; init; } = [];

    /// <summary>What went wrong; <see langword="null"/> on success.</summary>
    public string? Error { get; init; }

    /// <summary>The kind of error (<see cref="InjectionErrorKind.None"/> on success).</summary>
    public InjectionErrorKind ErrorKind { get; init; }

    /// <summary>True when <see cref="Selectors"/> holds the result.</summary>
    public bool Succeeded => Error is null;
}
