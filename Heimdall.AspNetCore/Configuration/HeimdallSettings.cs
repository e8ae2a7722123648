using Heimdall.AspNetCore.Bundles;
using Heimdall.Core.Identity;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;

namespace Heimdall.AspNetCore.Configuration;

/// <summary>Everything <c>AddHeimdall(configuration)</c> reads, bound and validated in one pass.</summary>
internal sealed record HeimdallSettings
{
    public required HeimdallGatewayOptions Gateway { get; init; }
    public required IdentityOptions Identity { get; init; }
    public required PolicyStoreOptions Store { get; init; }
    public string? PoliciesDirectory { get; init; }
    public required OpaOptions Opa { get; init; }
    public required DecisionCacheOptions DecisionCache { get; init; }
    public required BundleEndpointOptions Bundle { get; init; }
}
