namespace Heimdall.Core.Federation;

/// <summary>Whether Heimdall asks the upstream for compressed responses (<c>mimir.compression</c>).</summary>
public enum UpstreamCompression
{
    /// <summary>
    /// Plain responses (the default). Heimdall reads every answer to filter or merge it, so compression only pays
    /// when the link to the upstream is slower than compressing and inflating each answer; on a local network it
    /// costs both sides CPU (on loopback it cut Heimdall's throughput to a quarter).
    /// </summary>
    None,

    /// <summary><c>Accept-Encoding: gzip, deflate</c>: for upstreams reached over a slow or metered link.</summary>
    Gzip,
}
