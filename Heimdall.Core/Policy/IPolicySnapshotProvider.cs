using Microsoft.Extensions.Primitives;

namespace Heimdall.Core.Policy;

/// <summary>
/// Supplies the current <see cref="PolicySnapshot"/> (from a store, a directory of files, or code) and
/// signals changes, in the manner of YARP's <c>IProxyConfigProvider</c>.
/// </summary>
public interface IPolicySnapshotProvider
{
    /// <summary>The newest snapshot; never null.</summary>
    PolicySnapshot Current { get; }

    /// <summary>A token that fires once <see cref="Current"/> has been replaced.</summary>
    IChangeToken Watch();
}
