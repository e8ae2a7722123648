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

        var url = ReadUrl(mimir, "url", problems);
        if (url is null)
        {
            problems.Add("mimir.url is required");
        }
        var tenantUrls = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var child in mimir.GetSection("tenant_urls").GetChildren())
        {
            if (TenantIds.Validate(child.Key) is { } invalid)
            {
                problems.Add($"mimir.tenant_urls: '{child.Key}': {invalid}");
            }
            else if (ReadUrl(mimir.GetSection("tenant_urls"), child.Key, problems) is { } tenantUrl)
            {
                tenantUrls[child.Key] = tenantUrl;
            }
        }
        var authType = ReadEnum(mimir.GetSection("auth"), "type", UpstreamAuthType.None, problems, "mimir.auth.type");
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
                RemoteWriteUrl = ReadUrl(mimir, "remote_write_url", problems),
                TenantUrls = tenantUrls,
                InsecureSkipVerify = ReadBool(mimir, "insecure_skip_verify", false, problems, "mimir.insecure_skip_verify"),
                CaFile = string.IsNullOrEmpty(caFile) ? null : caFile,
                Auth = auth,
            },
            Fanout = new FanoutOptions
            {
                MaxConcurrency = ReadInt(fanout, "max_concurrency", defaults.MaxConcurrency, 1, problems, "fanout.max_concurrency"),
                Timeout = ReadDuration(fanout, "timeout", defaults.Timeout, problems, "fanout.timeout"),
                QueueTimeout = ReadDuration(fanout, "queue_timeout", defaults.QueueTimeout, problems, "fanout.queue_timeout"),
                PartialResponse = ReadBool(fanout, "partial_response", false, problems, "fanout.partial_response"),
            },
            Federation = new FederationOptions
            {
                Strategy = ReadEnum(federation, "strategy", FederationStrategy.Native, problems, "federation.strategy"),
                MaxTenants = ReadInt(federation, "max_tenants", 0, 0, problems, "federation.max_tenants"),
            },
            Limits = new RequestLimitsOptions
            {
                MaxBodyBytes = ReadInt(limits, "max_body_bytes", 4 * 1024 * 1024, 1024, problems, "limits.max_body_bytes"),
                MaxFormFields = ReadInt(limits, "max_form_fields", 1024, 1, problems, "limits.max_form_fields"),
            },
        };
        errors = problems;
        return options;
    }

    private static Uri? ReadUrl(IConfigurationSection section, string key, List<string> problems)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            problems.Add($"{section.Path.Replace(':', '.')}.{key}: '{text}' is not an absolute http(s) URL");
            return null;
        }
        return url;
    }

    private static bool ReadBool(IConfigurationSection section, string key, bool fallback, List<string> problems, string name)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (bool.TryParse(text, out var value))
        {
            return value;
        }
        problems.Add($"{name}: '{text}' is not true or false");
        return fallback;
    }

    private static int ReadInt(IConfigurationSection section, string key, int fallback, int min, List<string> problems, string name)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }
        problems.Add($"{name}: '{text}' is not an integer >= {min}");
        return fallback;
    }

    private static TimeSpan ReadDuration(IConfigurationSection section, string key, TimeSpan fallback, List<string> problems, string name)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (TryParseGoDuration(text, out var value))
        {
            return value;
        }
        problems.Add($"{name}: '{text}' is not a duration like 30s, 2m or 500ms");
        return fallback;
    }

    private static T ReadEnum<T>(IConfigurationSection section, string key, T fallback, List<string> problems, string name) where T : struct, Enum
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsAsciiDigit(text[0]))
        {
            return value;
        }
        problems.Add($"{name}: '{text}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
        return fallback;
    }

    /// <summary>Parses <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c> (and combinations like <c>1m30s</c>).</summary>
    public static bool TryParseGoDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            return false;
        }
        if (s is "0")
        {
            return true;
        }
        while (!s.IsEmpty)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }
            if (i == 0 || !double.TryParse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }
            s = s[i..];
            var unit = s.StartsWith("ms") ? "ms" : s.IsEmpty ? "" : s[..1].ToString();
            TimeSpan? delta = unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => null,
            };
            if (delta is null)
            {
                return false;
            }
            value += delta.Value;
            s = s[unit.Length..];
        }
        return true;
    }
}
