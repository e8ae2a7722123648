using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Heimdall.Host.Configuration;

/// <summary>
/// Builds Heimdall's configuration (DESIGN §8): the YAML file, overridden by <c>HEIMDALL_</c> environment
/// variables, overridden by command-line flags. The file is <c>--config</c>, else <c>HEIMDALL_CONFIG</c>,
/// else <c>config.yaml</c> in the working directory when it exists, else none (defaults only).
/// </summary>
internal static class HeimdallConfiguration
{
    public const string EnvironmentPrefix = "HEIMDALL_";

    public static IConfigurationRoot Load(string? configPath, IReadOnlyDictionary<string, string?>? flags = null, IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        var path = configPath ?? environment["HEIMDALL_CONFIG"] as string;
        var explicitPath = !string.IsNullOrEmpty(path);
        path = explicitPath ? path : "config.yaml";
        var fromFile = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(path))
        {
            fromFile = YamlConfigurationReader.Read(File.ReadAllText(path), path!);
        }
        else if (explicitPath)
        {
            throw new FileNotFoundException($"config file \"{path}\" does not exist", path);
        }

        var known = ConfigurationKeys.Known.Concat(fromFile.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var fromEnvironment = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) && name != "HEIMDALL_CONFIG"
                && !name.StartsWith("HEIMDALL_TEST_", StringComparison.Ordinal))
            {
                fromEnvironment[KeyForEnvironment(name[EnvironmentPrefix.Length..], known)] = entry.Value as string;
            }
        }

        return new ConfigurationBuilder()
            .AddInMemoryCollection(fromFile)
            .AddInMemoryCollection(fromEnvironment)
            .AddInMemoryCollection(flags?.Where(kv => kv.Value is not null) ?? [])
            .Build();
    }

    /// <summary><c>DATABASE_DSN</c> → <c>database:dsn</c>, by the known keys; unknown names use <c>__</c> as the separator.</summary>
    public static string KeyForEnvironment(string name, IEnumerable<string> knownKeys)
    {
        foreach (var key in knownKeys)
        {
            if (string.Equals(EnvironmentName(key), name, StringComparison.OrdinalIgnoreCase))
            {
                return key;
            }
        }
        return name.ToLowerInvariant().Replace("__", ":", StringComparison.Ordinal);
    }

    /// <summary>The environment variable name (without prefix) for <paramref name="key"/>.</summary>
    public static string EnvironmentName(string key) =>
        key.Replace(':', '_').Replace('.', '_').Replace('-', '_').ToUpperInvariant();

    /// <summary>Parses a duration as Go writes them (<c>500ms</c>, <c>1s</c>, <c>2m</c>, <c>1h</c>) or as a TimeSpan (<c>00:00:01</c>).</summary>
    public static TimeSpan ParseDuration(string value, string key)
    {
        var v = value.Trim();
        if (Heimdall.AspNetCore.Configuration.ConfigurationReader.TryParseGoDuration(v, out var duration))
        {
            return duration;
        }
        return TimeSpan.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var ts) && ts >= TimeSpan.Zero
            ? ts
            : throw new FormatException($"{key}: \"{value}\" is not a duration (e.g. 500ms, 1s, 2m)");
    }
}
