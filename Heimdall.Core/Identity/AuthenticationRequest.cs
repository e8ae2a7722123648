namespace Heimdall.Core.Identity;

/// <summary>The credential-bearing parts of an HTTP request, independent of any web framework.</summary>
public sealed record AuthenticationRequest
{
    /// <summary>Request headers by name (case-insensitive); only those that may carry credentials are needed.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
}
