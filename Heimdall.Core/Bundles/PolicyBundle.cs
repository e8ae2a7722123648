namespace Heimdall.Core.Bundles;

/// <summary>An OPA bundle built from one policy snapshot (DESIGN §6).</summary>
public sealed record PolicyBundle
{
    /// <summary>The bundle's revision: the hex SHA-256 of its <c>/data.json</c>, as written in <c>/.manifest</c>.</summary>
    public required string Revision { get; init; }

    /// <summary>The HTTP entity tag: <see cref="Revision"/> in double quotes.</summary>
    public string ETag => "\"" + Revision + "\"";

    /// <summary>The store revision of the snapshot the bundle was built from.</summary>
    public required long SnapshotRevision { get; init; }

    /// <summary>The <c>.tar.gz</c> bytes; identical for identical tenants and policies.</summary>
    public required ReadOnlyMemory<byte> Content { get; init; }
}
