using System.Globalization;
using Heimdall.Core.Federation;
using Microsoft.Extensions.Configuration;

namespace Heimdall.AspNetCore.Configuration;

/// <summary>
/// Reads <see cref="HeimdallGatewayOptions"/> from configuration keys as written in <c>config.yaml</c>
/// (<c>mimir:url</c>, <c>mimir:insecure_skip_verify</c>, <c>mimir:auth:type</c>, <c>mimir:tenant_urls:&lt;tenant&gt;</c>,
/// <c>fanout:max_concurrency</c>, <c>federation:strategy</c>, ...), reporting every error at once.
/// </summary>
internal static class GatewayConfigurationBinder
{
    /// <summary>Binds and validates; <paramref name="errors"/> lists every problem.</summary>
    public static HeimdallGatewayOptions Bind(IConfiguration configuration, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var mimir = configuration.GetSection("mimir");
        var fanout = configuration.GetSection("fanout");
        var federation = configuration.GetSection("federation");
        var limits = configuration.GetSection("limits");

        var url = ConfigurationReader.ReadUrl(mimir, "url", problems);
        if (url is null)
        {
            problems.Add("mimir.url is required");
        }
        var tenantUrls = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var child in mimir.GetSection("tenant_urls").GetChildren())
        {
            if (Heimdall.Core.Policy.TenantIdRules.Validate(child.Key) is { } invalid)
            {
                problems.Add($"mimir.tenant_urls: '{child.Key}': {invalid}");
            }
            else if (ConfigurationReader.ReadUrl(mimir.GetSection("tenant_urls"), child.Key, problems) is { } tenantUrl)
            {
                tenantUrls[child.Key] = tenantUrl;
            }
        }
        var authType = ConfigurationReader.ReadEnum(mimir.GetSection("auth"), "type", UpstreamAuthType.None, problems, "mimir.auth.type");
        var auth = new UpstreamAuthOptions
        {
            Type = authType,
            Token = mimir["auth:token"],
            Username = mimir["auth:username"],
            Password = mimir["auth:password"],
        };
        if (authType == UpstreamAuthType.Bearer && string.IsNullOrEmpty(auth.Token))
        {
            problems.Add("mimir.auth.token is required for mimir.auth.type=bearer");
        }
        if (authType == UpstreamAuthType.Basic && string.IsNullOrEmpty(auth.Username))
        {
            problems.Add("mimir.auth.username is required for mimir.auth.type=basic");
        }
        var caFile = mimir["ca_file"];
        if (!string.IsNullOrEmpty(caFile) && !File.Exists(caFile))
        {
            problems.Add($"mimir.ca_file '{caFile}' does not exist");
        }

        var defaults = new FanoutOptions();
        var options = new HeimdallGatewayOptions
        {
            Upstream = new UpstreamOptions
            {
                Url = url,
                RemoteWriteUrl = ConfigurationReader.ReadUrl(mimir, "remote_write_url", problems),
                TenantUrls = tenantUrls,
                InsecureSkipVerify = ConfigurationReader.ReadBool(mimir, "insecure_skip_verify", false, problems, "mimir.insecure_skip_verify"),
                CaFile = string.IsNullOrEmpty(caFile) ? null : caFile,
                Auth = auth,
                Compression = ConfigurationReader.ReadEnum(mimir, "compression", UpstreamCompression.None, problems, "mimir.compression"),
            },
            Fanout = new FanoutOptions
            {
                MaxConcurrency = ConfigurationReader.ReadInt(fanout, "max_concurrency", defaults.MaxConcurrency, 1, problems, "fanout.max_concurrency"),
                Timeout = ConfigurationReader.ReadDuration(fanout, "timeout", defaults.Timeout, problems, "fanout.timeout"),
                QueueTimeout = ConfigurationReader.ReadDuration(fanout, "queue_timeout", defaults.QueueTimeout, problems, "fanout.queue_timeout"),
                PartialResponse = ConfigurationReader.ReadBool(fanout, "partial_response", false, problems, "fanout.partial_response"),
            },
            Federation = new FederationOptions
            {
                Strategy = ConfigurationReader.ReadEnum(federation, "strategy", FederationStrategy.Native, problems, "federation.strategy"),
                MaxTenants = ConfigurationReader.ReadInt(federation, "max_tenants", 0, 0, problems, "federation.max_tenants"),
            },
            Limits = new RequestLimitsOptions
            {
                MaxBodyBytes = ConfigurationReader.ReadInt(limits, "max_body_bytes", 4 * 1024 * 1024, 1024, problems, "limits.max_body_bytes"),
                MaxFormFields = ConfigurationReader.ReadInt(limits, "max_form_fields", 1024, 1, problems, "limits.max_form_fields"),
            },
        };
        errors = problems;
        return options;
    }
}
