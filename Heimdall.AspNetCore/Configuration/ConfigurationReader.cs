using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Heimdall.AspNetCore.Configuration;

/// <summary>
/// Typed reads of configuration values that collect every problem (named by its YAML key) instead of
/// stopping at the first, so start-up can list all errors at once.
/// </summary>
internal static class ConfigurationReader
{
    public static Uri? ReadUrl(IConfigurationSection section, string key, List<string> problems)
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

    public static bool ReadBool(IConfigurationSection section, string key, bool fallback, List<string> problems, string name)
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

    public static int ReadInt(IConfigurationSection section, string key, int fallback, int min, List<string> problems, string name)
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

    public static TimeSpan ReadDuration(IConfigurationSection section, string key, TimeSpan fallback, List<string> problems, string name)
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

    public static T ReadEnum<T>(IConfigurationSection section, string key, T fallback, List<string> problems, string name) where T : struct, Enum
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

    /// <summary>A list given as a YAML sequence, or as one comma-separated string.</summary>
    public static IReadOnlyList<string> ReadList(IConfigurationSection section, string key)
    {
        if (section[key] is { } scalar)
        {
            return [.. scalar.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
        return [.. section.GetSection(key).GetChildren().Select(c => c.Value).OfType<string>()];
    }
}
