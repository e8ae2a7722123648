namespace Heimdall.Core.Federation;

/// <summary>The outcome of a merge: success (the output was written) or an error naming the tenant; nothing is written on error.</summary>
internal readonly record struct MergeResult(int StatusCode, string? Error)
{
    /// <summary>True when the merged response was written.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A success.</summary>
    public static MergeResult Success { get; } = new(200, null);

    /// <summary>An upstream answer that cannot be used (502).</summary>
    public static MergeResult BadUpstream(string error) => new(502, error);

    /// <summary>Results that cannot be combined (422).</summary>
    public static MergeResult Unmergeable(string error) => new(422, error);
}
