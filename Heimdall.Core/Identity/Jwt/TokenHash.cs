using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Heimdall.Core.Identity.Jwt;

/// <summary>
/// A 128-bit hash of a credential: the cache key, so the cache holds no token or password.
/// </summary>
/// <remarks>
/// Bearer tokens are hashed with XXH3-128 under a random per-process seed, not SHA-256: on OpenSSL a SHA-256 call
/// costs about 1.2 µs whatever the length, more than the whole cache hit may. That is sound because a cache hit only
/// ever returns the identity of the token that was validated: to hit another token's entry on purpose one must
/// know that token (and the secret seed), and whoever knows a valid token can present it anyway. A tampered token
/// is a different input, misses, and is fully validated. Tokens carry a signature of 256 bits or more, so the hash
/// reveals nothing that could be brute-forced back.
/// </remarks>
internal readonly record struct TokenHash(ulong A, ulong B)
{
    private static readonly long s_seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));

    /// <summary>Hashes <paramref name="value"/> (its UTF-16 code units, so no encoding pass).</summary>
    public static TokenHash Of(string value)
    {
        var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(value.AsSpan()), s_seed);
        return new TokenHash((ulong)(hash >> 64), (ulong)hash);
    }

    /// <summary>The first 128 bits of a cryptographic digest (for keyed hashes of low-entropy secrets such as passwords).</summary>
    public static TokenHash FromDigest(ReadOnlySpan<byte> digest) =>
        new(BitConverter.ToUInt64(digest), BitConverter.ToUInt64(digest[8..]));
}
