namespace Heimdall.Tests.Hardening.Faults;

/// <summary>How a <see cref="FaultyUpstream"/> misbehaves.</summary>
public enum UpstreamFault
{
    /// <summary>Never answers: holds the request until the caller goes away (or a minute passes).</summary>
    Hang,

    /// <summary>Answers 500 with Prometheus' error JSON.</summary>
    ServerError,

    /// <summary>Answers 503 with an HTML page, as a proxy in front of the upstream would.</summary>
    Unavailable,

    /// <summary>Promises a Content-Length, sends the first part of a JSON answer, then drops the connection.</summary>
    TruncatedContentLength,

    /// <summary>Sends the first part of a JSON answer chunked, then drops the connection (no final chunk).</summary>
    TruncatedChunked,

    /// <summary>Answers 200, <c>application/json</c>, with a body that is not JSON.</summary>
    InvalidJson,

    /// <summary>Answers 200 with a JSON answer cut short but otherwise delivered completely (a well-formed HTTP response).</summary>
    IncompleteJson,
}
