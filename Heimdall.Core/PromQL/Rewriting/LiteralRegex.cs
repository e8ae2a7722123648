using System.Text;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>
/// Recognises regexes that are plain alternations of literals (<c>prod|a\.b</c>, as merged grants produce) and
/// returns the exact set of strings they match. Anything else is "unknown", so callers stay conservative instead
/// of relying on .NET and RE2 agreeing on every construct.
/// </summary>
internal static class LiteralRegex
{
    private const string Special = "\\.+*?()|[]{}^$";

    public static bool TryGetLiterals(string regex, out HashSet<string> literals)
    {
        literals = new HashSet<string>(StringComparer.Ordinal);
        var current = new StringBuilder();
        for (var i = 0; i < regex.Length; i++)
        {
            var c = regex[i];
            if (c == '\\')
            {
                if (i + 1 >= regex.Length || !Special.Contains(regex[i + 1]))
                {
                    return false;
                }
                current.Append(regex[++i]);
            }
            else if (c == '|')
            {
                literals.Add(current.ToString());
                current.Clear();
            }
            else if (Special.Contains(c))
            {
                return false;
            }
            else
            {
                current.Append(c);
            }
        }
        literals.Add(current.ToString());
        return true;
    }
}
