namespace Heimdall.Core.Federation;

/// <summary>A rewritten query, or the refusal (400 for a query that does not parse, 403 for one that cannot be allowed).</summary>
internal sealed record QueryRewriteResult
{
    /// <summary>The query to send; null on error.</summary>
    public string? Query { get; init; }

    /// <summary>400 or 403 on error.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Why the query was refused (with the parser's <c>line:col</c> message).</summary>
    public string? Error { get; init; }

    /// <summary>A success.</summary>
    public static QueryRewriteResult Success(string query) => new() { Query = query };

    /// <summary>A refusal.</summary>
    public static QueryRewriteResult Fail(int statusCode, string error) => new() { StatusCode = statusCode, Error = error };
}
