using System.Text;

namespace Heimdall.Core.Identity;

/// <summary>Builds <c>WWW-Authenticate</c> values (RFC 6750 and RFC 7617) with safe, quoted parameters.</summary>
internal static class Challenges
{
    public const string Realm = "heimdall";

    /// <summary><c>Bearer realm="heimdall"</c>, with <c>error="invalid_token"</c> and a description when a token was refused.</summary>
    public static string Bearer(string? description = null) => description is null
        ? $"Bearer realm=\"{Realm}\""
        : $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"{Quote(description)}\"";

    /// <summary><c>Basic realm="heimdall", charset="UTF-8"</c>.</summary>
    public static string Basic() => $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";

    /// <summary>Keeps printable ASCII other than quote and backslash (RFC 6750 §3 limits error_description so).</summary>
    internal static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
