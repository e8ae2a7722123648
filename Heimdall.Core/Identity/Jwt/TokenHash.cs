using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Heimdall.Core.Identity.Jwt;

/// <summary>SHA-256 of a credential: the cache key, so the cache holds no token or password.</summary>
internal readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D)
{
    private const int StackLimit = 2048;

    /// <summary>Hashes <paramref name="value"/> as UTF-8 (tokens are ASCII: one byte per character, no decoding pass).</summary>
    public static TokenHash Of(string value)
    {
        byte[]? rented = null;
        var max = value.Length <= StackLimit ? value.Length : Encoding.UTF8.GetMaxByteCount(value.Length);
        var bytes = max <= StackLimit ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int n;
            if (Ascii.FromUtf16(value, bytes, out var written) == OperationStatus.Done)
            {
                n = written;
            }
            else if (rented is null && max < Encoding.UTF8.GetMaxByteCount(value.Length))
            {
                // Non-ASCII text that may not fit the exact-size stack buffer: hash it from a pooled one.
                rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
                bytes = rented;
                n = Encoding.UTF8.GetBytes(value, bytes);
            }
            else
            {
                n = Encoding.UTF8.GetBytes(value, bytes);
            }
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
