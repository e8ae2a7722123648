namespace Heimdall.Core.Federation;

/// <summary>How Heimdall authenticates to the upstream (<c>mimir.auth.type</c>).</summary>
public enum UpstreamAuthType
{
    /// <summary>No credentials.</summary>
    None,

    /// <summary><c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    Bearer,

    /// <summary><c>Authorization: Basic base64(user:password)</c>.</summary>
    Basic,
}
