using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Heimdall.Core.Diagnostics;

/// <summary>
/// The one <see cref="ActivitySource"/> and one <see cref="Meter"/> Heimdall creates, both named
/// <c>Heimdall</c>. Hosts subscribe with <c>AddSource("Heimdall")</c> and <c>AddMeter("Heimdall")</c>.
/// </summary>
public static class HeimdallDiagnostics
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "Heimdall";

    private static readonly string? s_version = typeof(HeimdallDiagnostics).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    /// <summary>Spans of DESIGN §8.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, s_version);

    /// <summary>Metrics of DESIGN §8.</summary>
    public static Meter Meter { get; } = new(Name, s_version);
}
