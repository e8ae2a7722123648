using Heimdall.AspNetCore.Configuration;
using Heimdall.Host.Configuration;
using Heimdall.Host.Serving;
using Heimdall.Host.Telemetry;
using Heimdall.Tests.Common;
using Microsoft.Extensions.Configuration;

namespace Heimdall.Tests.Host;

/// <summary>config.example.yaml is the documented reference: it must load, validate, and map to environment variables.</summary>
public sealed class ConfigExampleTests
{
    private static readonly string s_example = RepoPaths.Combine("config.example.yaml");

    [Fact]
    public void ExampleConfiguration_ValidatesWithoutErrors()
    {
        var configuration = HeimdallConfiguration.Load(s_example, environment: new Dictionary<string, string>());
        var errors = new List<string>();
        Assert.NotNull(ServerOptions.From(configuration, errors));
        errors.AddRange(TracingOptions.From(configuration).Validate());
        HeimdallSettingsBinder.Bind(configuration, identityRequired: true, out var heimdallErrors);
        errors.AddRange(heimdallErrors);
        Assert.Empty(errors);
    }

    [Fact]
    public void EveryExampleKey_IsKnown_ForEnvironmentOverrides()
    {
        var configuration = HeimdallConfiguration.Load(s_example, environment: new Dictionary<string, string>());
        var keys = configuration.AsEnumerable().Where(kv => kv.Value is not null).Select(kv => kv.Key)
            .Where(k => !k.StartsWith("mimir:tenant_urls:", StringComparison.Ordinal))
            .Select(k => System.Text.RegularExpressions.Regex.Replace(k, @":\d+$", "")) // list items
            .Distinct();
        Assert.All(keys, key => Assert.Contains(key, ConfigurationKeys.Known, StringComparer.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("HEIMDALL_FANOUT_MAX_CONCURRENCY", "fanout:max_concurrency")]
    [InlineData("HEIMDALL_SERVER_MAIN_ADDR", "server:main:addr")]
    [InlineData("HEIMDALL_JWT_JWKS_URL", "jwt:jwks_url")]
    [InlineData("HEIMDALL_TELEMETRY_TRACING_SAMPLE_RATIO", "telemetry:tracing:sample_ratio")]
    public void MapsEnvironmentNames_ToKeysWithUnderscores(string variable, string key)
    {
        var configuration = HeimdallConfiguration.Load(s_example, environment: new Dictionary<string, string> { [variable] = "42" });
        Assert.Equal("42", configuration[key]);
    }
}
