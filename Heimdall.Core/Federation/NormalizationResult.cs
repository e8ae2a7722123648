namespace Heimdall.Core.Federation;

/// <summary>Normalized parameters, or why the request was refused (400).</summary>
internal sealed record NormalizationResult
{
    /// <summary>The parameters; null on failure.</summary>
    public PrometheusRequestParameters? Parameters { get; init; }

    /// <summary>The refusal; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>A success.</summary>
    public static NormalizationResult Success(PrometheusRequestParameters parameters) => new() { Parameters = parameters };

    /// <summary>A refusal.</summary>
    public static NormalizationResult Fail(string error) => new() { Error = error };
}
