using System.Text;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>
/// Escapes literal text for a regular expression with Go's <c>regexp.QuoteMeta</c> semantics: a backslash before
/// each of <c>\.+*?()|[]{}^$</c> and nothing else (unlike .NET's <c>Regex.Escape</c>, which also escapes spaces and
/// <c>#</c>, which RE2 reads differently). The result is valid and equivalent in RE2 and .NET.
/// </summary>
internal static class Re2Escaping
{
    private const string Special = "\\.+*?()|[]{}^$";

    public static string QuoteMeta(string literal)
    {
        if (literal.AsSpan().IndexOfAny(Special) < 0)
        {
            return literal;
        }
        var sb = new StringBuilder(literal.Length + 8);
        foreach (var c in literal)
        {
            if (Special.Contains(c))
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
