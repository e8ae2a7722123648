using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Heimdall.Core.Federation;

/// <summary>
/// One parsed label matcher (<c>env="prod"</c>, <c>team=~"a|b"</c>) with Prometheus' semantics: regexes are fully
/// anchored and <c>.</c> matches newlines; a missing label has the empty value.
/// </summary>
internal sealed class SimpleLabelMatcher
{
    private static readonly TimeSpan s_regexTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex? _regex;

    private SimpleLabelMatcher(string name, GrantMatchType type, string value, Regex? regex)
    {
        Name = name;
        Type = type;
        Value = value;
        _regex = regex;
    }

    /// <summary>The label name.</summary>
    public string Name { get; }

    /// <summary>The operator.</summary>
    public GrantMatchType Type { get; }

    /// <summary>The unquoted value.</summary>
    public string Value { get; }

    /// <summary>True when the matcher matches <paramref name="value"/>.</summary>
    public bool Matches(string value) => Type switch
    {
        GrantMatchType.Equal => value == Value,
        GrantMatchType.NotEqual => value != Value,
        GrantMatchType.Regex => _regex!.IsMatch(value),
        GrantMatchType.NotRegex => !_regex!.IsMatch(value),
        _ => false,
    };

    /// <summary>Parses <c>name op "value"</c>; returns null and an error on malformed input.</summary>
    public static SimpleLabelMatcher? TryParse(string text, out string? error)
    {
        error = null;
        var s = text.AsSpan().Trim();
        var i = 0;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_'))
        {
            i++;
        }
        var name = s[..i].ToString();
        if (!PrometheusEndpoints.IsLegacyLabelName(name))
        {
            error = $"invalid label name in matcher '{text}'";
            return null;
        }
        s = s[i..].TrimStart();
        GrantMatchType type;
        if (s.StartsWith("=~")) { type = GrantMatchType.Regex; s = s[2..]; }
        else if (s.StartsWith("!~")) { type = GrantMatchType.NotRegex; s = s[2..]; }
        else if (s.StartsWith("!=")) { type = GrantMatchType.NotEqual; s = s[2..]; }
        else if (s.StartsWith("=")) { type = GrantMatchType.Equal; s = s[1..]; }
        else
        {
            error = $"missing operator in matcher '{text}'";
            return null;
        }
        s = s.Trim();
        if (Unquote(s) is not { } value)
        {
            error = $"invalid quoted value in matcher '{text}'";
            return null;
        }
        Regex? regex = null;
        if (type is GrantMatchType.Regex or GrantMatchType.NotRegex)
        {
            try
            {
                regex = new Regex("^(?:" + value + ")$", RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking, s_regexTimeout);
            }
            catch (ArgumentException ex)
            {
                error = $"invalid regex in matcher '{text}': {ex.Message}";
                return null;
            }
        }
        return new SimpleLabelMatcher(name, type, value, regex);
    }

    private static string? Unquote(ReadOnlySpan<char> s)
    {
        if (s.Length < 2 || s[0] != s[^1] || s[0] is not ('"' or '\'' or '`'))
        {
            return null;
        }
        var quote = s[0];
        var body = s[1..^1];
        if (quote == '`')
        {
            return body.Contains('`') ? null : body.ToString();
        }
        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == quote || c == '\n')
            {
                return null;
            }
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (++i >= body.Length)
            {
                return null;
            }
            switch (body[i])
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case 'x' or 'u' or 'U':
                    var digits = body[i] switch { 'x' => 2, 'u' => 4, _ => 8 };
                    if (body.Length - i - 1 < digits
                        || !int.TryParse(body.Slice(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                        || !Rune.IsValid(code))
                    {
                        return null;
                    }
                    sb.Append(new Rune(code).ToString());
                    i += digits;
                    break;
                default:
                    return null;
            }
        }
        return sb.ToString();
    }
}
