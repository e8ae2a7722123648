using Heimdall.AspNetCore.Configuration;
using Heimdall.Core.Federation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Heimdall.Tests.AspNetCore.Configuration;

public class GatewayConfigurationBinderTests
{
    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void Binds_YamlKeys()
    {
        var options = GatewayConfigurationBinder.Bind(Config(new()
        {
            ["mimir:url"] = "https://mimir:8080/prometheus/",
            ["mimir:insecure_skip_verify"] = "true",
            ["mimir:auth:type"] = "basic",
            ["mimir:auth:username"] = "heimdall",
            ["mimir:auth:password"] = "pw",
            ["mimir:tenant_urls:acme"] = "http://acme-prom:9090",
            ["mimir:compression"] = "gzip",
            ["fanout:max_concurrency"] = "8",
            ["fanout:timeout"] = "1m30s",
            ["fanout:partial_response"] = "true",
            ["federation:strategy"] = "fanout",
            ["federation:max_tenants"] = "5",
        }), out var errors);
        Assert.Empty(errors);
        Assert.True(options.Upstream.InsecureSkipVerify);
        Assert.Equal(UpstreamAuthType.Basic, options.Upstream.Auth.Type);
        Assert.Equal(new Uri("http://acme-prom:9090"), options.Upstream.TenantUrls["acme"]);
        Assert.Equal(UpstreamCompression.Gzip, options.Upstream.Compression);
        Assert.Equal(8, options.Fanout.MaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Fanout.Timeout);
        Assert.True(options.Fanout.PartialResponse);
        Assert.Equal(FederationStrategy.Fanout, options.Federation.Strategy);
        Assert.Equal(5, options.Federation.MaxTenants);
        Assert.Equal("https://mimir:8080/prometheus", UpstreamClient.NormalizeBaseUrl(options.Upstream.Url!));
        Assert.Equal(new Uri("https://mimir:8080/api/v1/push"), UpstreamClient.DefaultRemoteWriteUrl(options.Upstream.Url!));
    }

    [Fact]
    public void ReportsEveryError_AtOnce()
    {
        GatewayConfigurationBinder.Bind(Config(new()
        {
            ["mimir:url"] = "ftp://x",
            ["mimir:auth:type"] = "bearer",
            ["mimir:tenant_urls:bad|id"] = "http://x",
            ["fanout:max_concurrency"] = "0",
            ["fanout:timeout"] = "soon",
            ["federation:strategy"] = "magic",
            ["mimir:compression"] = "brotli",
        }), out var errors);
        Assert.Equal(8, errors.Count); // url invalid + required, token, tenant id, concurrency, timeout, strategy, compression
        Assert.Contains(errors, e => e.Contains("mimir.compression", StringComparison.Ordinal) && e.Contains("none, gzip", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("federation.strategy", StringComparison.Ordinal) && e.Contains("native, fanout", StringComparison.Ordinal));
    }

    [Fact]
    public void AddHeimdall_RefusesInvalidConfiguration_ListingEveryError()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddRouting();
        var error = Assert.Throws<OptionsValidationException>(() =>
            builder.Services.AddHeimdall(Config(new() { ["mimir:url"] = "not a url", ["fanout:max_concurrency"] = "-1" })));
        Assert.Contains(error.Failures, f => f.Contains("mimir.url", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("fanout.max_concurrency", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("identity", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0", 0)]
    public void Parses_Durations(string text, int milliseconds)
    {
        Assert.True(ConfigurationReader.TryParseGoDuration(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("5x")]
    [InlineData("-1s")]
    [InlineData("")]
    public void Rejects_BadDurations(string text)
    {
        Assert.False(ConfigurationReader.TryParseGoDuration(text, out _));
    }
}
