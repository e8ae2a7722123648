using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Heimdall.AspNetCore.Bundles;
using Heimdall.Core.Bundles;
using Microsoft.Extensions.Primitives;
using static Heimdall.Tests.Policy.PolicyFixtures;

namespace Heimdall.Tests.Bundles;

/// <summary>The bundle endpoint over real Kestrel and HttpClient, as OPA's bundle downloader uses it (DESIGN §6).</summary>
public sealed class BundleEndpointTests
{
    private const string Token = "s3cret-token";
    private static readonly BundleEndpointOptions s_options = new() { Token = Token };

    [Fact]
    public async Task ServesTheBundle_WithAQuotedStableETag()
    {
        await using var host = await BundleServerHost.StartAsync(s_options, Snapshot(Allow("a", [User("alice")], ["read"], ["acme"])));

        using var first = await host.Client.SendAsync(Get());
        using var second = await host.Client.SendAsync(Get());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/gzip", first.Content.Headers.ContentType?.MediaType);
        var body = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal(BundleBuilder.Build(host.Provider.Current).Content.ToArray(), body);
        var etag = Assert.Single(first.Headers.GetValues("ETag"));
        Assert.Matches("^\"[0-9a-f]{64}\"$", etag);
        Assert.Equal(etag, Assert.Single(second.Headers.GetValues("ETag")));
        Assert.Equal(body, await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AnswersNotModified_ForTheCurrentETag()
    {
        await using var host = await BundleServerHost.StartAsync(s_options);
        var etag = await CurrentETagAsync(host);

        using var response = await host.Client.SendAsync(Get(ifNoneMatch: etag));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(etag, Assert.Single(response.Headers.GetValues("ETag")));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("\"0000\"")]
    [InlineData("*")]
    public async Task ServesTheBundle_ForAnotherETag(string ifNoneMatch)
    {
        await using var host = await BundleServerHost.StartAsync(s_options);

        using var response = await host.Client.SendAsync(Get(ifNoneMatch: ifNoneMatch));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ChangesTheETag_WhenTheStoreChanges()
    {
        await using var host = await BundleServerHost.StartAsync(s_options);
        var before = await CurrentETagAsync(host);

        host.Provider.Update(Tenants, [Allow("a", [User("alice")], ["read"], ["acme"])]);
        string after;
        var deadline = Stopwatch.StartNew();
        do
        {
            after = await CurrentETagAsync(host);
        }
        while (after == before && deadline.Elapsed < TimeSpan.FromSeconds(30));

        Assert.NotEqual(before, after);
        using var response = await host.Client.SendAsync(Get(ifNoneMatch: before));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task LongPoll_ReturnsTheNewBundleSoonAfterAChange()
    {
        await using var host = await BundleServerHost.StartAsync(s_options);
        var etag = await CurrentETagAsync(host);

        var polling = host.Client.SendAsync(Get(ifNoneMatch: etag, prefer: "modes=snapshot,delta;wait=60"));
        await Task.Delay(300);
        Assert.False(polling.IsCompleted, "a long poll with the current ETag must be held");
        var changedAt = Stopwatch.StartNew();
        host.Provider.Update(Tenants, [Allow("a", [User("alice")], ["read"], ["acme"])]);
        using var response = await polling.WaitAsync(TimeSpan.FromSeconds(30));
        var took = changedAt.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openpolicyagent.bundles", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(etag, Assert.Single(response.Headers.GetValues("ETag")));
        var entries = BundleReader.Read(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("\"alice\"", System.Text.Encoding.UTF8.GetString(entries.Single(e => e.Entry.Name == "/data.json").Content));
        // Held for 60 s otherwise; "about a second" on an idle machine, generous here for a loaded 2-core VM.
        Assert.True(took < TimeSpan.FromSeconds(20), $"long poll answered {took} after the change");
    }

    [Fact]
    public async Task LongPoll_AnswersNotModifiedAfterTheWait()
    {
        await using var host = await BundleServerHost.StartAsync(s_options);
        var etag = await CurrentETagAsync(host);

        var started = Stopwatch.StartNew();
        using var response = await host.Client.SendAsync(Get(ifNoneMatch: etag, prefer: "modes=snapshot,delta;wait=1"));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(900), $"answered after {started.Elapsed}: an immediate 304 makes OPA spin");
    }

    [Fact]
    public async Task LongPoll_FirstRequestGetsTheBundleAtOnceAsOpaContentType()
    {
        await using var host = await BundleServerHost.StartAsync(s_options);

        using var response = await host.Client.SendAsync(Get(prefer: "modes=snapshot,delta;wait=30")).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openpolicyagent.bundles", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task LongPoll_IsCappedByTheConfiguredMaximum()
    {
        await using var host = await BundleServerHost.StartAsync(s_options with { MaxLongPollWait = TimeSpan.FromMilliseconds(500) });
        var etag = await CurrentETagAsync(host);

        using var response = await host.Client.SendAsync(Get(ifNoneMatch: etag, prefer: "modes=snapshot,delta;wait=600"))
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer s3cret-token-and-more")]
    [InlineData("Basic czNjcmV0LXRva2Vu")]
    [InlineData("s3cret-token")]
    public async Task Refuses_WithoutTheRightToken(string? authorization)
    {
        await using var host = await BundleServerHost.StartAsync(s_options);
        var request = new HttpRequestMessage(HttpMethod.Get, "/bundles/bundle.tar.gz");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", error.GetProperty("status").GetString());
        Assert.Equal("unauthorized", error.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task RefusesEveryone_WhenNoTokenIsConfigured()
    {
        await using var host = await BundleServerHost.StartAsync(new BundleEndpointOptions());

        using var response = await host.Client.GetAsync("/bundles/bundle.tar.gz");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("bundle.token", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ServesAnyone_WhenAnonymousAccessIsAllowed()
    {
        await using var host = await BundleServerHost.StartAsync(new BundleEndpointOptions { AllowAnonymous = true });

        using var response = await host.Client.GetAsync("/bundles/bundle.tar.gz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("modes=snapshot,delta;wait=30", 30)]
    [InlineData("modes=snapshot,delta; wait=5", 5)]
    [InlineData("wait=7,modes=snapshot", 7)]
    [InlineData("modes=snapshot,delta", null)]
    [InlineData("wait=abc", null)]
    [InlineData("wait=-1", null)]
    [InlineData("", null)]
    public void ParsesTheLongPollWait(string prefer, int? expected)
    {
        Assert.Equal(expected, BundleEndpoint.ParseWait(new StringValues(prefer)));
    }

    private static HttpRequestMessage Get(string? ifNoneMatch = null, string? prefer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/bundles/bundle.tar.gz");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }
        return request;
    }

    private static async Task<string> CurrentETagAsync(BundleServerHost host)
    {
        using var response = await host.Client.SendAsync(Get());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("ETag"));
    }

}
