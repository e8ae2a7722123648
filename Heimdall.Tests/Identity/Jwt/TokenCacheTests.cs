using Heimdall.Core.Identity.Jwt;

namespace Heimdall.Tests.Identity.Jwt;

public sealed class TokenCacheTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EvictsLeastRecentlyUsed_WhenFull()
    {
        var cache = new TokenCache<string>(2);
        var (a, b, c) = (TokenHash.Of("a"), TokenHash.Of("b"), TokenHash.Of("c"));
        cache.Set(a, "A", s_now.AddHours(1), 0);
        cache.Set(b, "B", s_now.AddHours(1), 0);
        Assert.Equal("A", cache.Get(a, s_now, 0));

        cache.Set(c, "C", s_now.AddHours(1), 0);

        Assert.Equal("A", cache.Get(a, s_now, 0));
        Assert.Null(cache.Get(b, s_now, 0));
        Assert.Equal("C", cache.Get(c, s_now, 0));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Misses_ExpiredOrOtherGeneration()
    {
        var cache = new TokenCache<string>(10);
        var a = TokenHash.Of("a");
        cache.Set(a, "A", s_now.AddMinutes(1), 3);

        Assert.Null(cache.Get(a, s_now, 4));
        cache.Set(a, "A", s_now.AddMinutes(1), 3);
        Assert.Null(cache.Get(a, s_now.AddMinutes(2), 3));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void HoldsNothing_WithZeroCapacity()
    {
        var cache = new TokenCache<string>(0);
        cache.Set(TokenHash.Of("a"), "A", s_now.AddHours(1), 0);
        Assert.Null(cache.Get(TokenHash.Of("a"), s_now, 0));
    }

    [Fact]
    public void HashesDiffer_ForDifferentTokens()
    {
        Assert.Equal(TokenHash.Of("token"), TokenHash.Of("token"));
        Assert.NotEqual(TokenHash.Of("token"), TokenHash.Of("token2"));
        Assert.Equal(TokenHash.Of(new string('x', 10_000)), TokenHash.Of(new string('x', 10_000)));
        Assert.Equal(TokenHash.Of("pässwörd"), TokenHash.Of("pässwörd"));
        Assert.NotEqual(TokenHash.Of("pässwörd"), TokenHash.Of("passwort"));
        Assert.Equal(TokenHash.Of(new string('ä', 1500)), TokenHash.Of(new string('ä', 1500)));
        Assert.NotEqual(TokenHash.Of("ab"), TokenHash.Of("ba"));
        Assert.NotEqual(TokenHash.Of(""), TokenHash.Of("\0"));
    }
}
