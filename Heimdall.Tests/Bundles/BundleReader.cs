using System.Formats.Tar;
using System.IO.Compression;

namespace Heimdall.Tests.Bundles;

/// <summary>Unpacks a bundle's <c>.tar.gz</c> into its entries, in archive order.</summary>
internal static class BundleReader
{
    public static List<(TarEntry Entry, byte[] Content)> Read(ReadOnlyMemory<byte> bundle)
    {
        using var gzip = new GZipStream(new MemoryStream(bundle.ToArray()), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var entries = new List<(TarEntry, byte[])>();
        while (tar.GetNextEntry(copyData: true) is { } entry)
        {
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            entries.Add((entry, content.ToArray()));
        }
        return entries;
    }
}
