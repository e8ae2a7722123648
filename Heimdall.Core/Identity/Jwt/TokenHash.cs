using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Heimdall.Core.Identity.Jwt;

/// <summary>SHA-256 of a credential: the cache key, so the cache holds no token or password.</summary>
internal readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>Hashes <paramref name="value"/> as UTF-8.</summary>
    public static TokenHash Of(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var bytes = max <= 4096 ? stackalloc byte[4096] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var n = Encoding.UTF8.GetBytes(value, bytes);
            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(bytes[..n], digest);
            var words = MemoryMarshal.Cast<byte, ulong>(digest);
            return new TokenHash(words[0], words[1], words[2], words[3]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
