using Microsoft.Extensions.Logging;

namespace Heimdall.Core.Federation;

/// <summary>Stable event IDs of the federation area (800–899); the <c>[LoggerMessage]</c> attributes use these numbers.</summary>
internal static class FederationEventIds
{
    public static readonly EventId UpstreamFailed = new(801, nameof(UpstreamFailed));
    public static readonly EventId UpstreamTimedOut = new(802, nameof(UpstreamTimedOut));
    public static readonly EventId FanoutSaturated = new(803, nameof(FanoutSaturated));
    public static readonly EventId PartialResult = new(804, nameof(PartialResult));
    public static readonly EventId RemoteWriteForwardFailed = new(805, nameof(RemoteWriteForwardFailed));
    public static readonly EventId UpstreamUnreachable = new(806, nameof(UpstreamUnreachable));
    public static readonly EventId UpstreamBrokenOff = new(807, nameof(UpstreamBrokenOff));
    public static readonly EventId GatewayClientGone = new(810, nameof(GatewayClientGone));
    public static readonly EventId GatewayUpstreamInvalid = new(811, nameof(GatewayUpstreamInvalid));
}
