namespace Heimdall.Core.Federation;

/// <summary>Rewritten selectors for one <c>match[]</c>, or the refusal.</summary>
internal sealed record SelectorRewriteResult
{
    /// <summary>The selectors to send; null on error.</summary>
    public IReadOnlyList<string>? Selectors { get; init; }

    /// <summary>400 or 403 on error.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Why the selector was refused.</summary>
    public string? Error { get; init; }

    /// <summary>A success.</summary>
    public static SelectorRewriteResult Success(IReadOnlyList<string> selectors) => new() { Selectors = selectors };

    /// <summary>A refusal.</summary>
    public static SelectorRewriteResult Fail(int statusCode, string error) => new() { StatusCode = statusCode, Error = error };
}
