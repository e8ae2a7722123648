using System.Globalization;

namespace Heimdall.Benchmarks.Load.Soak;

/// <summary>The figures of one soak run.</summary>
internal sealed record SoakReport
{
    public required TimeSpan Duration { get; init; }

    public required int Connections { get; init; }

    /// <summary>Requests answered (any status).</summary>
    public required long Requests { get; init; }

    /// <summary>Requests with a wrong status, a malformed answer, an empty result where data exists, or a transport error.</summary>
    public required long Errors { get; init; }

    /// <summary>Series, label values or label names returned that the caller's grant does not allow.</summary>
    public required long Leaks { get; init; }

    /// <summary>Series checked against the grant.</summary>
    public required long SeriesChecked { get; init; }

    public required double P50Milliseconds { get; init; }

    public required double P99Milliseconds { get; init; }

    public required double MaxMilliseconds { get; init; }

    /// <summary>This process's resident set (<c>VmRSS</c>) after warm-up, at the end, and the highest sample.</summary>
    public required long RssStartBytes { get; init; }

    public required long RssEndBytes { get; init; }

    public required long RssPeakBytes { get; init; }

    /// <summary>The first few errors and leaks, for the log.</summary>
    public required IReadOnlyList<string> Samples { get; init; }

    public double RequestsPerSecond => Requests / Duration.TotalSeconds;

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        return string.Create(c, $"soak {Duration.TotalSeconds:0}s, {Connections} connections: {Requests} requests ({RequestsPerSecond:0} req/s), ")
            + string.Create(c, $"{Errors} errors, {Leaks} leaks ({SeriesChecked} series checked), ")
            + string.Create(c, $"p50 {P50Milliseconds:0.00} ms, p99 {P99Milliseconds:0.00} ms, max {MaxMilliseconds:0.0} ms, ")
            + string.Create(c, $"RSS start {RssStartBytes / 1048576.0:0.0} MB, end {RssEndBytes / 1048576.0:0.0} MB, peak {RssPeakBytes / 1048576.0:0.0} MB")
            + (Samples.Count > 0 ? "\n  " + string.Join("\n  ", Samples) : "");
    }
}
